package dev.robustsynth.plugins.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MasksTest {
    @Test
    void binarizeThresholdsTheChannelMeanAtOneHalf() {
        Image rgb = new Image(3, 1, 2, new float[] {1f, 0.2f, 0.5f, 0.2f, 0f, 0.2f});
        assertArrayEquals(new float[] {1f, 0f}, Masks.binarize(rgb).pixels());
    }

    @Test
    void labelSelectsOneGreyLevel() {
        Image labels = new Image(1, 1, 3, new float[] {0f, 1f / 255f, 2f / 255f});
        assertArrayEquals(new float[] {0f, 0f, 1f}, Masks.label(labels, 2).pixels());
    }

    @Test
    void boxMustLieInside() {
        assertEquals(6, Masks.count(Masks.box(4, 4, 1, 2, 3, 2)));
        assertThrows(IllegalArgumentException.class, () -> Masks.box(4, 4, 2, 0, 3, 1));
    }

    @Test
    void wrongSizeNamesTheParameterAndBothSizes() {
        InvalidParametersException e = assertThrows(InvalidParametersException.class,
                () -> Masks.requireSize(Image.filled(1, 32, 32, 0f), 28, 28, "mask", "fashion-robust-l2"));
        assertEquals("parameter 'mask' is a 32x32 mask; model fashion-robust-l2 takes 28x28 images", e.getMessage());
    }

    @Test
    void randomHolesLieInsideAndAreReproducible() {
        SplittableRandom a = new SplittableRandom(5);
        SplittableRandom b = new SplittableRandom(5);
        boolean[] seenLeft = new boolean[21];
        for (int i = 0; i < 500; i++) {
            SquareHole hole = SquareHole.random(28, 28, 8, a);
            assertEquals(hole, SquareHole.random(28, 28, 8, b));
            assertEquals(true, hole.fitsIn(28, 28), hole.toString());
            seenLeft[hole.x()] = true;
            assertEquals(64, Masks.count(hole.mask(28, 28)));
        }
        for (int x = 0; x <= 20; x++) {
            assertEquals(true, seenLeft[x], "left edge " + x + " never drawn");
        }
        assertThrows(IllegalArgumentException.class, () -> SquareHole.random(8, 8, 9, a));
    }
}
