package dev.robustsynth.pgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.spi.BlockMeanConstraint;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.StepRule;
import dev.robustsynth.spi.SynthesisItem;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlockMeanTest {
    private final BlockMean blocks = new BlockMean(2, 8, 8, 4);

    @Test
    void projectionGivesEveryBlockItsTargetMeanAndUpIsTheRightInverseOfDown() {
        SplittableRandom random = new SplittableRandom(3);
        float[] x = PgdTest.uniform(random, 128);
        float[] target = PgdTest.uniform(random, 8);
        blocks.project(x, target);
        assertArrayEquals(target, blocks.down(x), 1e-6f);
        float[] up = new float[128];
        blocks.addUp(up, target, 1f);
        assertArrayEquals(target, blocks.down(up), 1e-6f);
    }

    @Test
    void stepsUnderTheConstraintKeepTheBlockMeansTheBallAndTheBox() {
        SplittableRandom random = new SplittableRandom(5);
        float[] low = PgdTest.uniform(random, 8);
        Image lowRes = new Image(2, 2, 2, low);
        Image start = Image.filled(2, 8, 8, 0.5f);
        SynthesisItem item = SynthesisItem.of(start, Objective.towardClass(0, 2))
                .withConsistency(new BlockMeanConstraint(lowRes, 4));
        PixelTerms terms = PixelTerms.of(item);
        assertArrayEquals(low, blocks.down(terms.start()), 1e-6f, "the start is projected onto the constraint");
        StepRule rule = new StepRule(Norm.L2, 2.0, 0.5, 20, false);
        float[] x = terms.start().clone();
        for (int step = 0; step < 20; step++) {
            Pgd.step(rule, terms, x, PgdTest.gaussian(random, 128, 1));
        }
        double worst = 0;
        float[] means = blocks.down(x);
        for (int i = 0; i < means.length; i++) {
            worst = Math.max(worst, Math.abs(means[i] - low[i]));
        }
        assertTrue(worst < 5e-3, "block means drifted by " + worst + " (the box clip ends each projection)");
        assertTrue(Pgd.l2Distance(x, terms.centre()) <= 2.0 + 1e-5);
        assertTrue(Pgd.l2Distance(x, terms.start()) > 0.5, "the steps still add detail inside the blocks");
        for (float v : x) {
            assertTrue(v >= 0f && v <= 1f);
        }
    }

    @Test
    void theLayoutAnchorsGradientMatchesItsFiniteDifference() {
        SplittableRandom random = new SplittableRandom(9);
        float[] ref = PgdTest.uniform(random, 8);
        PixelTerms terms = new PixelTerms(new float[128], new float[128], null, null, null, blocks, null, ref, 3f,
                Double.NaN);
        float[] x = PgdTest.uniform(random, 128);
        float[] grad = new float[128];
        Pgd.addPixelGradient(terms, x, grad);
        for (int i = 0; i < 128; i += 13) {
            float[] up = x.clone();
            float[] down = x.clone();
            up[i] += 1e-3f;
            down[i] -= 1e-3f;
            double fd = (Pgd.pixelLoss(terms, up) - Pgd.pixelLoss(terms, down)) / (up[i] - down[i]);
            assertEquals(fd, grad[i], 1e-3);
        }
    }

    @Test
    void earlyStopFiresAtItsThresholdOnly() {
        PixelTerms terms = new PixelTerms(new float[1], new float[1], null, null, null, null, null, null, 0f, 0.9);
        assertTrue(Pgd.reachedStop(terms, new float[] {3f, 0f}, 0, 2, 0), "p = 0.953");
        assertTrue(!Pgd.reachedStop(terms, new float[] {2f, 0f}, 0, 2, 0), "p = 0.881");
    }
}
