package dev.robustsynth.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.spi.Image;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Diagonal-plus-low-rank seeds recover a planted direction and noise level, and the sampler reads them back. */
class SeedFitterTest {
    @TempDir
    Path tmp;

    @Test
    void recoversAPlantedDirectionAndTheResidualNoise() {
        int dim = 48;
        SplittableRandom random = new SplittableRandom(5);
        double[] dir = new double[dim];
        for (int i = 0; i < dim; i++) {
            dir[i] = Math.sin(i);
        }
        double len = Math.sqrt(java.util.Arrays.stream(dir).map(v -> v * v).sum());
        for (int i = 0; i < dim; i++) {
            dir[i] /= len;
        }
        float[][] x = new float[400][dim];
        for (float[] row : x) {
            double a = 0.2 * random.nextGaussian();
            for (int i = 0; i < dim; i++) {
                row[i] = (float) (0.5 + a * dir[i] + 0.02 * random.nextGaussian());
            }
        }
        double[][] fit = SeedFitter.fitClass(x, dim, 2, 0, 1);
        double[] u = fit[2];
        double dot = 0;
        double norm = 0;
        for (int i = 0; i < dim; i++) {
            dot += u[i * 2] * dir[i];
            norm += u[i * 2] * u[i * 2];
        }
        assertTrue(Math.abs(dot / Math.sqrt(norm)) > 0.99, "cosine " + dot / Math.sqrt(norm));
        assertEquals(0.2, Math.sqrt(norm), 0.03);
        double meanDev = java.util.Arrays.stream(fit[1]).average().orElseThrow();
        assertEquals(0.02, meanDev, 0.004);
    }

    @Test
    void fittedFileIsReadAndSampledAtTheModelSize() throws Exception {
        SplittableRandom random = new SplittableRandom(2);
        List<List<Image>> perClass = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            List<Image> images = new ArrayList<>();
            for (int n = 0; n < 5; n++) {
                float[] px = new float[3 * 8 * 8];
                for (int i = 0; i < px.length; i++) {
                    px[i] = (float) (0.25 * k + 0.1 * random.nextDouble());
                }
                images.add(new Image(3, 8, 8, px));
            }
            perClass.add(images);
        }
        SeedFitter.Shape shape = new SeedFitter.Shape(3, 4, 4, 3, 1e-4);
        Path file = tmp.resolve("seeds.bin");
        SeedFitter.fit(perClass, shape, file);
        assertEquals(3 * LowRankSeedSampler.bytesPerClass(3, 4, 4, 3), Files.size(file));
        LowRankSeedSampler sampler = LowRankSeedSampler.read(file, 3, shape.card("seeds.bin"), 32, 32);
        Image seed = sampler.sample(2, new SplittableRandom(1));
        assertEquals(32, seed.height());
        double mean = 0;
        for (float v : seed.pixels()) {
            mean += v / seed.pixels().length;
        }
        assertEquals(0.55, mean, 0.05);
        assertEquals(seed, sampler.sample(2, new SplittableRandom(1)));
    }
}
