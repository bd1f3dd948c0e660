package dev.robustsynth.engine.image;

import dev.robustsynth.pgd.Resample;

/**
 * Interpolation for {@link ImageCodec#resize}: the engine's names for the project's one resizer,
 * {@code platform/pgd} {@link Resample}. All use half-pixel centres (PyTorch {@code align_corners=False}).
 */
public enum ResizeMethod {
    /** The nearest source pixel. */
    NEAREST(Resample.NEAREST),
    /** Linear in each axis over the 2×2 neighbourhood; no anti-aliasing when shrinking. */
    BILINEAR(Resample.BILINEAR),
    /** Keys' cubic convolution with a = −0.5 (Catmull-Rom, as PIL) over 4×4, clamped to [0,1]. */
    BICUBIC(Resample.BICUBIC),
    /** The mean of the source area each output pixel covers (block means at an integer factor). */
    AREA(Resample.AREA);

    private final Resample resample;

    ResizeMethod(Resample resample) {
        this.resample = resample;
    }

    /** The resampling this names. */
    public Resample resample() {
        return resample;
    }
}
