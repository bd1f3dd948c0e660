package dev.robustsynth.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FrechetDistanceTest {

    private static float[][] gaussianRows(int n, double[] mean, double[] std, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][mean.length];
        for (float[] row : rows) {
            for (int j = 0; j < mean.length; j++) {
                row[j] = (float) (mean[j] + std[j] * random.nextGaussian());
            }
        }
        return rows;
    }

    @Test
    void aSetIsAtDistanceZeroFromItself() {
        float[][] rows = gaussianRows(500, new double[] {1, -2, 0.5}, new double[] {1, 2, 0.3}, 1);
        assertEquals(0, FrechetDistance.between(rows, rows), 1e-6);
    }

    @Test
    void diagonalGaussiansMatchTheClosedForm() {
        // independent coordinates: sum over j of (m1-m2)^2 + (s1-s2)^2, with the sample moments
        float[][] a = gaussianRows(4000, new double[] {0, 0}, new double[] {1, 2}, 2);
        float[][] b = gaussianRows(4000, new double[] {3, -1}, new double[] {2, 2}, 3);
        var ga = FrechetDistance.Gaussian.fit(a);
        var gb = FrechetDistance.Gaussian.fit(b);
        double expected = 0;
        for (int j = 0; j < 2; j++) {
            double dm = ga.mean()[j] - gb.mean()[j];
            double ds = Math.sqrt(ga.covariance()[j][j]) - Math.sqrt(gb.covariance()[j][j]);
            expected += dm * dm + ds * ds;
        }
        // sample covariances are only nearly diagonal, so allow for their small off-diagonal terms
        assertEquals(expected, FrechetDistance.between(ga, gb), 0.05 * expected);
        assertEquals(9 + 1 + 1, FrechetDistance.between(ga, gb), 0.5);
    }

    @Test
    void symmetricSquareRootSquaresBack() {
        double[][] m = {{4, 1, 0}, {1, 3, 0.5}, {0, 0.5, 2}};
        double[][] root = FrechetDistance.sqrtPsd(m);
        double[][] back = FrechetDistance.multiply(root, root);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(m[i][j], back[i][j], 1e-9);
            }
        }
    }

    @Test
    void movingTheMeanIncreasesTheDistance() {
        float[][] a = gaussianRows(1000, new double[] {0, 0, 0, 0}, new double[] {1, 1, 1, 1}, 4);
        float[][] near = gaussianRows(1000, new double[] {0.5, 0, 0, 0}, new double[] {1, 1, 1, 1}, 5);
        float[][] far = gaussianRows(1000, new double[] {2, 0, 0, 0}, new double[] {1, 1, 1, 1}, 6);
        assertTrue(FrechetDistance.between(a, near) < FrechetDistance.between(a, far));
    }
}
