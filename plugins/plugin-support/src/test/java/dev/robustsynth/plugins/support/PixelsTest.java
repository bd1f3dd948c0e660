package dev.robustsynth.plugins.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import org.junit.jupiter.api.Test;

class PixelsTest {
    private final Image a = new Image(1, 1, 3, new float[] {0f, 0.5f, 1f});
    private final Image b = new Image(1, 1, 3, new float[] {0.3f, 0.5f, 0.6f});

    @Test
    void l2IsEuclidean() {
        assertEquals(0.5, Pixels.l2(a, b), 1e-6);
    }

    @Test
    void maskedL2CountsOnlySelectedPixels() {
        Image mask = new Image(1, 1, 3, new float[] {0f, 1f, 1f});
        assertEquals(0.4, Pixels.l2(a, b, mask), 1e-6);
    }

    @Test
    void convertsBetweenGreyAndColour() throws Exception {
        Image rgb = new Image(3, 1, 1, new float[] {1f, 0f, 0f});
        assertEquals(0.299f, Pixels.toChannels(rgb, 1, "image").at(0, 0, 0), 1e-6f);
        Image grey = Pixels.toChannels(new Image(1, 1, 1, new float[] {0.4f}), 3, "image");
        assertArrayEquals(new float[] {0.4f, 0.4f, 0.4f}, grey.pixels());
        Image rgba = new Image(4, 1, 1, new float[] {0.1f, 0.2f, 0.3f, 1f});
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f}, Pixels.toChannels(rgba, 3, "image").pixels());
        assertSame(rgb, Pixels.toChannels(rgb, 3, "image"));
        InvalidParametersException e = assertThrows(InvalidParametersException.class,
                () -> Pixels.toChannels(Image.filled(5, 1, 1, 0f), 3, "sketch"));
        assertTrue(e.getMessage().startsWith("parameter 'sketch' has 5 channels"), e.getMessage());
    }
}
