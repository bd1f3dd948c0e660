package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

/**
 * A soft pull of an item's low-passed image toward a reference: adds {@code lambda·‖A(x) − lowRes‖²} to the loss,
 * where A is the mean over {@code factor × factor} blocks. Translate and sketch use it with the block means of
 * their source, so the layout stays while the steps change the class's features.
 *
 * @param lowRes the reference block means, {@code C × H/factor × W/factor}
 * @param factor the block side, dividing the item's height and width
 * @param lambda the weight, ≥ 0
 */
public record BlockMeanAnchor(Image lowRes, int factor, double lambda) {
    public BlockMeanAnchor {
        requireNonNull(lowRes, "lowRes is null");
        if (factor < 1) {
            throw new IllegalArgumentException("block factor must be ≥ 1, got " + factor);
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("layout lambda must be finite and ≥ 0, got " + lambda);
        }
    }

    /** Whether this anchor fits an image of {@code image}'s shape. */
    public boolean fits(Image image) {
        return lowRes.channels() == image.channels() && lowRes.height() * factor == image.height()
                && lowRes.width() * factor == image.width();
    }
}
