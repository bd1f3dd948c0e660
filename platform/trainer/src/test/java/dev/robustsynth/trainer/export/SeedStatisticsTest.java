package dev.robustsynth.trainer.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.robustsynth.trainer.data.LabeledImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedStatisticsTest {

    @TempDir
    Path dir;

    private static LabeledImages random(int n, int c, int h, int w, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[n * c * h * w];
        r.nextBytes(px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 3;
        }
        return new LabeledImages(px, labels, c, h, w, List.of("a", "b", "c"));
    }

    @Test
    void areaAverageMatchesBlockMeans() {
        byte[] px = new byte[16];
        for (int i = 0; i < 16; i++) {
            px[i] = (byte) (i * 10);
        }
        LabeledImages one = new LabeledImages(px, new int[] {0}, 1, 4, 4, List.of("a"));
        float[] d = SeedStatistics.areaDownsample(one, 0, 2, 2);
        assertEquals((0 + 10 + 40 + 50) / 4f / 255f, d[0], 1e-6);
        assertEquals((100 + 110 + 140 + 150) / 4f / 255f, d[3], 1e-6);
        // 3 -> 2 uses torch's overlapping adaptive bins
        float[] e = SeedStatistics.areaDownsample(new LabeledImages(new byte[] {0, 30, 60, 0, 30, 60, 0, 30, 60},
                new int[] {0}, 1, 3, 3, List.of("a")), 0, 2, 2);
        assertEquals(15 / 255f, e[0], 1e-6);
        assertEquals(45 / 255f, e[1], 1e-6);
    }

    @Test
    void choleskyReconstructsCovariancePlusRidgeAndRoundTripsThroughTheFile() throws Exception {
        LabeledImages data = random(90, 3, 8, 8, 5);
        double ridge = 1e-3;
        SeedStatistics s = SeedStatistics.compute(data, 4, 4, ridge);
        int d = 48;
        assertEquals(d, s.dimension());
        // reference covariance of class 1, computed directly
        float[][] rows = new float[30][];
        int r = 0;
        for (int i = 0; i < data.count(); i++) {
            if (data.labels()[i] == 1) {
                rows[r++] = SeedStatistics.areaDownsample(data, i, 4, 4);
            }
        }
        double[] mean = new double[d];
        for (float[] row : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / 30.0;
            }
        }
        double[][] l = s.lower(1);
        for (int a = 0; a < d; a++) {
            assertEquals(mean[a], s.means().get(1)[a], 1e-6);
            for (int b = 0; b < d; b++) {
                double cov = 0;
                for (float[] row : rows) {
                    cov += (row[a] - mean[a]) * (row[b] - mean[b]);
                }
                cov = cov / 29 + (a == b ? ridge : 0);
                double llt = 0;
                for (int k = 0; k <= Math.min(a, b); k++) {
                    llt += l[a][k] * l[b][k];
                }
                assertEquals(cov, llt, 1e-5, "entry " + a + "," + b);
            }
        }
        Path f = dir.resolve("seeds.bin");
        s.write(f);
        assertEquals(3L * (d + d * (d + 1) / 2) * 4, Files.size(f));
        SeedStatistics back = SeedStatistics.read(f, 3, 3, 4, 4, ridge);
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(s.means().get(k), back.means().get(k), 0f);
            assertArrayEquals(s.chol().get(k), back.chol().get(k), 0f);
        }
        assertThrows(java.io.IOException.class, () -> SeedStatistics.read(f, 2, 3, 4, 4, ridge));
    }

    @Test
    void choleskyRejectsIndefiniteMatrices() {
        assertThrows(IllegalArgumentException.class,
                () -> SeedStatistics.cholesky(new double[][] {{1, 2}, {2, 1}}));
    }
}
