package dev.robustsynth.plugins.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import org.junit.jupiter.api.Test;

class MasksTest {
    @Test
    void binarizeThresholdsTheChannelMeanAtOneHalf() {
        Image rgb = new Image(3, 1, 2, new float[] {1f, 0.2f, 0.5f, 0.2f, 0f, 0.2f});
        assertArrayEquals(new float[] {1f, 0f}, Masks.binarize(rgb).pixels());
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
}
