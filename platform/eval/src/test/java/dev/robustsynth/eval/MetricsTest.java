package dev.robustsynth.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.spi.Image;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private static Image checkerboard(int size) {
        float[] p = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                p[y * size + x] = (x + y) % 2;
            }
        }
        return new Image(1, size, size, p);
    }

    @Test
    void lowPassErasesPixelPatternsButKeepsFlatRegions() {
        Image flat = Image.filled(1, 8, 8, 0.7f);
        assertArrayEquals(flat.pixels(), Metrics.lowPass(flat).pixels(), 1e-6f);
        Image lowPassed = Metrics.lowPass(checkerboard(8));
        for (float v : lowPassed.pixels()) {
            assertEquals(0.5f, v, 0.26f, "a one-pixel checkerboard blurs toward grey");
        }
    }

    @Test
    void psnrIsMeasuredOnlyInsideTheMask() {
        Image a = Image.filled(1, 4, 4, 0.5f);
        float[] p = a.pixels().clone();
        p[0] = 0.6f;
        Image b = new Image(1, 4, 4, p);
        float[] m = new float[16];
        m[15] = 1;
        assertEquals(99, Metrics.psnr(a, b, new Image(1, 4, 4, m)), 0, "identical where the mask is set");
        assertEquals(10 * Math.log10(16 / 0.01), Metrics.psnr(a, b, null), 1e-3);
    }

    @Test
    void inceptionScoreRewardsConfidentAndVariedPredictions() {
        float[][] confidentVaried = {{1, 0}, {0, 1}};
        float[][] confidentSame = {{1, 0}, {1, 0}};
        float[][] unsure = {{0.5f, 0.5f}, {0.5f, 0.5f}};
        assertEquals(2, Metrics.inceptionScore(confidentVaried), 1e-6);
        assertEquals(1, Metrics.inceptionScore(confidentSame), 1e-6);
        assertEquals(1, Metrics.inceptionScore(unsure), 1e-6);
    }

    @Test
    void areaDownsamplingAveragesBlocks() {
        Image down = Evaluation.areaDown(checkerboard(8), 4);
        assertEquals(2, down.height());
        for (float v : down.pixels()) {
            assertEquals(0.5f, v, 1e-6f);
        }
    }

    @Test
    void drawingsHaveTwoLevelsPerChannel() {
        float[] p = new float[3 * 10 * 10];
        for (int i = 0; i < p.length; i++) {
            p[i] = (i % 17) / 16f;
        }
        Image drawing = Evaluation.drawing(new Image(3, 10, 10, p));
        for (float v : drawing.pixels()) {
            assertTrue(v == 0f || v == 1f);
        }
    }
}
