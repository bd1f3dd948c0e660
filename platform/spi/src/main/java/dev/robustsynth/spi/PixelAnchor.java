package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

/**
 * Adds {@code lambda·Σ weights⊙(x − reference)²} to one image's loss, e.g. to keep an inpainted image's known
 * pixels. {@code weights} is a one-channel mask of the image's size (1 = anchored) or one of its full shape.
 */
public record PixelAnchor(Image reference, Image weights, double lambda) {
    public PixelAnchor {
        requireNonNull(reference, "reference is null");
        requireNonNull(weights, "weights is null");
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("anchor lambda must be finite and ≥ 0, got " + lambda);
        }
        if (weights.height() != reference.height() || weights.width() != reference.width()
                || (weights.channels() != 1 && weights.channels() != reference.channels())) {
            throw new IllegalArgumentException("anchor weights " + weights.shape() + " do not fit reference "
                    + reference.shape());
        }
    }
}
