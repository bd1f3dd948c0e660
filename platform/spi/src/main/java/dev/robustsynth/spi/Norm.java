package dev.robustsynth.spi;

/** The norm of a perturbation ball and of the matching steepest-descent step. */
public enum Norm {
    /** Step α·g/‖g‖₂, project onto the L2 ball. */
    L2,
    /** Step α·sign(g), clip to the L∞ ball. */
    LINF
}
