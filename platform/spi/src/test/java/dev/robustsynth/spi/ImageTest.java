package dev.robustsynth.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageTest {
    @Test
    void rejectsNaNAndOutOfRangePixels() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> new Image(1, 1, 2, new float[] {0.5f, Float.NaN}));
        assertTrue(nan.getMessage().contains("pixel 1 is NaN"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Image(1, 1, 1, new float[] {1.5f}));
    }

    @Test
    void rejectsWrongLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Image(3, 2, 2, new float[11]));
        assertTrue(e.getMessage().contains("needs 12 values, got 11"), e.getMessage());
    }

    @Test
    void isImmutable() {
        float[] data = {0.1f, 0.2f};
        Image image = new Image(1, 1, 2, data);
        data[0] = 0.9f;
        assertEquals(0.1f, image.at(0, 0, 0));
        assertNotSame(image.pixels(), image.pixels());
    }

    @Test
    void indexesChannelMajor() {
        Image image = new Image(2, 1, 2, new float[] {0f, 0.1f, 0.2f, 0.3f});
        assertEquals(0.3f, image.at(1, 0, 1));
    }
}
