package dev.robustsynth.spi;

/** What a task may need from a model beyond classification. */
public enum ModelCapability {
    /** Input gradients of the synthesis objective. */
    GRADIENTS,
    /** Class-conditional seed statistics for generation. */
    SEED_STATISTICS,
    /** Named intermediate activations (feature painting). */
    ACTIVATIONS
}
