package dev.robustsynth.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.pgd.Resample;
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
        Image down = Metrics.areaDown(checkerboard(8), 4);
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

    private static Image ramp(int size) {
        float[] p = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                p[y * size + x] = 0.1f + 0.8f * (x + 2 * y) / (3f * size);
            }
        }
        return new Image(1, size, size, p);
    }

    @Test
    void ssimIsOneOnItselfNegativeOnTheInverseAndTheLuminanceTermOnFlatImages() {
        Image r = ramp(12);
        assertEquals(1, Metrics.ssim(r, r), 1e-9);
        float[] inv = r.pixels().clone();
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1 - inv[i];
        }
        assertTrue(Metrics.ssim(r, new Image(1, 12, 12, inv)) < -0.5, "inverted structure");
        double c1 = 1e-4;
        double expected = (2 * 0.4 * 0.6 + c1) / (0.16 + 0.36 + c1);
        assertEquals(expected, Metrics.ssim(Image.filled(1, 12, 12, 0.4f), Image.filled(1, 12, 12, 0.6f)), 1e-6);
    }

    @Test
    void sourceFidelityIgnoresColourAndPixelNoiseButNotLayout() {
        Image r = ramp(16);
        float[] grey = new float[3 * 256];
        float[] tinted = new float[3 * 256];
        for (int i = 0; i < 256; i++) {
            for (int c = 0; c < 3; c++) {
                grey[c * 256 + i] = 0.1f + 0.8f * r.pixels()[i];
            }
            tinted[i] = grey[i] + 0.05f * 0.587f / 0.299f;
            tinted[256 + i] = grey[i] - 0.05f;
            tinted[512 + i] = grey[i];
        }
        float[] flipped = new float[256];
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                flipped[y * 16 + x] = r.at(0, 15 - y, x);
            }
        }
        assertEquals(1, Metrics.sourceFidelity(new Image(3, 16, 16, grey), new Image(3, 16, 16, tinted)), 1e-4,
                "the same luma in another tint");
        assertTrue(Metrics.sourceFidelity(r, new Image(1, 16, 16, flipped)) < 0, "upside down is another layout");
        float[] noisy = r.pixels().clone();
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (((i % 16) + i / 16) % 2 == 0 ? 0.05f : -0.05f);
        }
        assertTrue(Metrics.sourceFidelity(r, new Image(1, 16, 16, noisy)) > 0.95,
                "a one-pixel checkerboard is mostly removed by the low-pass");
    }

    @Test
    void consistencyIsExactForNearestUpsamplingAndKnownForAShift() {
        float[] low = {0.1f, 0.2f, 0.3f, 0.4f};
        Image small = new Image(1, 2, 2, low);
        Image nearest = ImageCodec.resize(small, 8, 8, Resample.NEAREST);
        assertEquals(99, Metrics.consistencyPsnr(nearest, small, 4), 0);
        float[] shifted = nearest.pixels().clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 0.01f;
        }
        assertEquals(40, Metrics.consistencyPsnr(new Image(1, 8, 8, shifted), small, 4), 1e-3);
    }

    @Test
    void rmsChangeSeparatesTheRegionFromTheRest() {
        Image before = Image.filled(1, 4, 4, 0.5f);
        float[] after = before.pixels().clone();
        float[] region = new float[16];
        for (int i = 0; i < 16; i++) {
            boolean in = i < 4;
            region[i] = in ? 1 : 0;
            after[i] += in ? 0.25f : (i % 2 == 0 ? 0.05f : -0.05f);
        }
        Image mask = new Image(1, 4, 4, region);
        Image changed = new Image(1, 4, 4, after);
        assertEquals(0.25, Metrics.rmsChange(changed, before, mask, true), 1e-6);
        assertEquals(0.05, Metrics.rmsChange(changed, before, mask, false), 1e-6);
        assertEquals(0.05, Metrics.rmsChange(changed, before, Metrics.complement(mask), true), 1e-6);
    }

    @Test
    void spreadRatioIsTheQuotientOfMeanPairwiseDistancesBetweenFeatureDirections() {
        float[][] generated = {{1, 0}, {0, 1}, {1, 1}, {2, 2}};
        int[] labels = {0, 0, 1, 1};
        float[][] real = {{2, 0}, {-3, 0}, {1, 0}, {0, 5}, {0, -1}};
        int[] realLabels = {0, 0, 1, 1, 1};
        assertArrayEquals(new double[] {Math.sqrt(2), 0}, Metrics.withinClassSpread(generated, labels, 2), 1e-6,
                "a longer vector in the same direction is a copy");
        assertEquals((Math.sqrt(2) / 2 + 0) / 2, Metrics.spreadRatio(generated, labels, real, realLabels, 2), 1e-6);
        assertEquals(1, Metrics.spreadRatio(real, realLabels, real, realLabels, 2), 1e-9);
    }
}
