package dev.robustsynth.plugins.inpaint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.spi.Image;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FillTest {
    @Test
    void meanFillsOnlyTheMissingPixelsWithEachChannelsKnownMean() {
        Image rgb = new Image(2, 1, 3, new float[] {0.2f, 0.8f, 0.4f, 0.6f, 0.1f, 0.5f});
        Image missing = new Image(1, 1, 3, new float[] {0f, 1f, 0f});
        assertArrayEquals(new double[] {0.3, 0.55}, Fill.knownMeans(rgb, missing), 1e-6);
        assertArrayEquals(new float[] {0.2f, 0.3f, 0.4f, 0.6f, 0.55f, 0.5f},
                Fill.MEAN.apply(rgb, missing, new SplittableRandom(1)).pixels(), 1e-6f);
        assertTrue(Double.isNaN(Fill.knownMeans(rgb, Image.filled(1, 1, 3, 1f))[0]), "no known pixel");
    }
}
