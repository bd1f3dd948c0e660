package dev.robustsynth.pgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.StepRule;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PgdTest {
    private static final int D = 300;

    static float[] uniform(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextDouble();
        }
        return a;
    }

    static float[] gaussian(SplittableRandom random, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * scale);
        }
        return a;
    }

    static PixelTerms plan(float[] start, float[] centre, float[] mask) {
        return new PixelTerms(start, centre, mask, null, null, null, null, null, 0f, Double.NaN);
    }

    @Test
    void l2ProjectionKeepsEveryIterateInsideTheBallAndTheBox() {
        SplittableRandom random = new SplittableRandom(1);
        for (int trial = 0; trial < 50; trial++) {
            float[] c = uniform(random, D);
            double eps = random.nextDouble(0.05, 5);
            StepRule rule = new StepRule(Norm.L2, eps, random.nextDouble(0.01, 3), 1, false);
            PixelTerms plan = plan(c, c, null);
            float[] x = c.clone();
            for (int step = 0; step < 30; step++) {
                Pgd.step(rule, plan, x, gaussian(random, D, random.nextDouble(1e-3, 1e3)));
                assertTrue(Pgd.l2Distance(x, c) <= eps, "‖x−c‖ " + Pgd.l2Distance(x, c) + " > " + eps);
                for (float v : x) {
                    assertTrue(v >= 0f && v <= 1f, "box: " + v);
                }
            }
        }
    }

    @Test
    void linfProjectionClipsEachValueToEpsOfTheCentre() {
        SplittableRandom random = new SplittableRandom(2);
        float[] c = uniform(random, D);
        StepRule rule = new StepRule(Norm.LINF, 0.03, 0.01, 1, false);
        PixelTerms plan = plan(c, c, null);
        float[] x = c.clone();
        for (int step = 0; step < 20; step++) {
            Pgd.step(rule, plan, x, gaussian(random, D, 1));
        }
        for (int i = 0; i < D; i++) {
            assertTrue(Math.abs(x[i] - c[i]) <= 0.03f + 1e-6f, "value " + i);
            assertTrue(x[i] >= 0f && x[i] <= 1f);
        }
    }

    @Test
    void l2StepMovesAlphaAgainstTheNormalisedGradient() {
        float[] c = new float[D];
        java.util.Arrays.fill(c, 0.5f);
        float[] g = new float[D];
        g[3] = 3f;
        g[7] = -4f;
        StepRule rule = new StepRule(Norm.L2, 10, 0.1, 1, false);
        float[] x = c.clone();
        Pgd.step(rule, plan(c, c, null), x, g);
        assertEquals(0.5f - 0.1f * 0.6f, x[3], 1e-6);
        assertEquals(0.5f + 0.1f * 0.8f, x[7], 1e-6);
        assertEquals(0.5f, x[0]);
    }

    @Test
    void linfStepMovesAlphaAgainstTheSign() {
        float[] c = new float[] {0.5f, 0.5f, 0.5f};
        float[] x = c.clone();
        Pgd.step(new StepRule(Norm.LINF, 1, 0.1, 1, false), plan(c, c, null), x, new float[] {2f, -1e-9f, 0f});
        assertArrayEquals(new float[] {0.4f, 0.6f, 0.5f}, x, 1e-7f);
    }

    @Test
    void frozenValuesStayBitIdenticalEvenWhenTheCentreDiffers() {
        SplittableRandom random = new SplittableRandom(3);
        float[] start = uniform(random, D);
        float[] centre = uniform(random, D);
        float[] mask = new float[D];
        for (int i = 0; i < D; i++) {
            mask[i] = random.nextInt(3) == 0 ? 0f : (float) random.nextDouble(0.1, 1);
        }
        PixelTerms plan = plan(start, centre, mask);
        for (Norm norm : Norm.values()) {
            StepRule rule = new StepRule(norm, 0.5, 0.2, 1, false);
            float[] x = start.clone();
            for (int step = 0; step < 25; step++) {
                Pgd.step(rule, plan, x, gaussian(random, D, 5));
            }
            for (int i = 0; i < D; i++) {
                if (mask[i] == 0f) {
                    assertEquals(Float.floatToRawIntBits(start[i]), Float.floatToRawIntBits(x[i]), norm + " " + i);
                }
            }
        }
    }

    @Test
    void maskedGradientDoesNotSpendTheStepOnFrozenValues() {
        float[] c = new float[] {0.5f, 0.5f};
        float[] x = c.clone();
        Pgd.step(new StepRule(Norm.L2, 1, 0.1, 1, false), plan(c, c, new float[] {0f, 1f}), x,
                new float[] {100f, 1f});
        assertEquals(0.5f, x[0]);
        assertEquals(0.4f, x[1], 1e-6, "the whole step goes to the free value");
    }

    @Test
    void anchorTermMatchesItsFiniteDifference() {
        SplittableRandom random = new SplittableRandom(4);
        float[] ref = uniform(random, D);
        float[] w = uniform(random, D);
        PixelTerms plan = new PixelTerms(ref, ref, null, ref, w, null, null, null, 0f, Double.NaN);
        float[] x = uniform(random, D);
        float[] grad = new float[D];
        Pgd.addPixelGradient(plan, x, grad);
        double h = 1e-3;
        for (int i = 0; i < D; i += 37) {
            float[] up = x.clone();
            float[] down = x.clone();
            up[i] += (float) h;
            down[i] -= (float) h;
            double fd = (Pgd.pixelLoss(plan, up) - Pgd.pixelLoss(plan, down)) / (up[i] - down[i]);
            assertEquals(fd, grad[i], 1e-3 * Math.max(1, Math.abs(fd)), "value " + i);
        }
        assertEquals(0.0, Pgd.pixelLoss(plan, ref.clone()));
    }

    @Test
    void aNonFiniteGradientIsRefusedAndLeavesTheIterate() {
        float[] c = new float[] {0.5f, 0.5f};
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            float[] x = c.clone();
            assertFalse(Pgd.step(new StepRule(Norm.L2, 1, 0.1, 1, false), plan(c, c, null), x,
                    new float[] {bad, 1f}));
            assertArrayEquals(c, x);
        }
    }

    @Test
    void aZeroGradientDoesNotMove() {
        float[] c = new float[] {0.25f, 0.75f};
        float[] x = c.clone();
        assertTrue(Pgd.step(new StepRule(Norm.L2, 1, 0.1, 1, false), plan(c, c, null), x, new float[2]));
        assertArrayEquals(c, x);
    }

    @Test
    void stepsAreDeterministic() {
        SplittableRandom random = new SplittableRandom(5);
        float[] c = uniform(random, D);
        float[] g = gaussian(random, D, 1);
        float[] a = c.clone();
        float[] b = c.clone();
        StepRule rule = new StepRule(Norm.L2, 0.3, 0.05, 1, false);
        for (int i = 0; i < 10; i++) {
            Pgd.step(rule, plan(c, c, null), a, g.clone());
            Pgd.step(rule, plan(c, c, null), b, g.clone());
        }
        assertArrayEquals(a, b);
    }
}
