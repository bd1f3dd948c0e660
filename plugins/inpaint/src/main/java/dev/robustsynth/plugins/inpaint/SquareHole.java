package dev.robustsynth.plugins.inpaint;

import dev.robustsynth.plugins.support.Masks;
import dev.robustsynth.spi.Image;
import java.util.random.RandomGenerator;

/**
 * A square of missing pixels with its top-left corner at (x, y).
 *
 * @param x    column of the left edge
 * @param y    row of the top edge
 * @param size side length in pixels
 */
record SquareHole(int x, int y, int size) {
    public SquareHole {
        if (x < 0 || y < 0 || size <= 0) {
            throw new IllegalArgumentException("hole of size " + size + " at (" + x + ", " + y + ") is invalid");
        }
    }

    /** A hole of {@code size} at a uniformly random position that lies wholly inside {@code height × width}. */
    static SquareHole random(int height, int width, int size, RandomGenerator random) {
        if (size <= 0 || size > height || size > width) {
            throw new IllegalArgumentException("a hole of size " + size + " does not fit " + width + "x" + height);
        }
        return new SquareHole(random.nextInt(width - size + 1), random.nextInt(height - size + 1), size);
    }

    /** Whether the hole lies wholly inside an image of {@code height × width}. */
    boolean fitsIn(int height, int width) {
        return x + size <= width && y + size <= height;
    }

    /** The one-channel mask of the hole (1 = missing). */
    Image mask(int height, int width) {
        return Masks.box(height, width, x, y, size, size);
    }
}
