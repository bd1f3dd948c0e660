package dev.robustsynth.engine.image;

/** Interpolation for {@link ImageCodec#resize}. All use half-pixel centres (PyTorch {@code align_corners=False}). */
public enum ResizeMethod {
    /** The nearest source pixel. */
    NEAREST,
    /** Linear in each axis over the 2×2 neighbourhood; no anti-aliasing when shrinking. */
    BILINEAR,
    /** Keys' cubic convolution with a = −0.5 (Catmull-Rom, as PIL) over 4×4, clamped to [0,1]. */
    BICUBIC
}
