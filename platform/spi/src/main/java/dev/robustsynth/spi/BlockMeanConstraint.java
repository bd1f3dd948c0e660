package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

/**
 * An exact constraint on an item's iterates: the mean of every {@code factor × factor} block equals the matching
 * value of {@code lowRes} (super-resolution's data consistency). The engine removes the block means from each step
 * and projects each iterate back onto the constraint, alternating with the box [0,1], so steps add detail inside
 * blocks only. The item's centre should already satisfy it.
 *
 * @param lowRes the block means, {@code C × H/factor × W/factor} for a {@code C × H × W} item
 * @param factor the block side, dividing the item's height and width
 */
public record BlockMeanConstraint(Image lowRes, int factor) {
    public BlockMeanConstraint {
        requireNonNull(lowRes, "lowRes is null");
        if (factor < 1) {
            throw new IllegalArgumentException("block factor must be ≥ 1, got " + factor);
        }
    }

    /** Whether this constraint fits an image of {@code image}'s shape. */
    public boolean fits(Image image) {
        return lowRes.channels() == image.channels() && lowRes.height() * factor == image.height()
                && lowRes.width() * factor == image.width();
    }
}
