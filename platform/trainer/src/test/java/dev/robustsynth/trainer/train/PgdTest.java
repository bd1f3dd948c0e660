package dev.robustsynth.trainer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.robustsynth.trainer.EngineSetup;
import dev.robustsynth.trainer.model.ArchitectureSpec;
import dev.robustsynth.trainer.model.Network;
import dev.robustsynth.trainer.train.AttackConfig.Norm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PgdTest {

    static NDManager manager;

    @BeforeAll
    static void engine() {
        EngineSetup.init(2);
        manager = NDManager.newBaseManager();
        manager.getEngine().setRandomSeed(7);
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static float[] norms(NDArray a) {
        return Pgd.l2Norms(a).toFloatArray();
    }

    @Test
    void l2StepMovesEachExampleByExactlyTheStepSize() {
        NDArray x = manager.randomUniform(0.2f, 0.8f, new Shape(4, 3, 8, 8));
        NDArray g = manager.randomNormal(new Shape(4, 3, 8, 8)).mul(manager.create(new float[] {1e-3f, 1, 50, 7},
                new Shape(4, 1, 1, 1)));
        AttackConfig c = new AttackConfig(Norm.L2, 10f, 1, 0.3f, false);
        for (float n : norms(Pgd.step(x, g, c).sub(x))) {
            assertEquals(0.3f, n, 1e-4);
        }
    }

    @Test
    void l2ProjectionKeepsRadiusAndBox() {
        NDArray orig = manager.randomUniform(0f, 1f, new Shape(5, 1, 6, 6));
        NDArray far = orig.add(manager.randomNormal(new Shape(5, 1, 6, 6)).mul(3f));
        AttackConfig c = new AttackConfig(Norm.L2, 0.5f, 1, 0.1f, false);
        NDArray p = Pgd.project(far, orig, c);
        for (float n : norms(p.sub(orig))) {
            assertTrue(n <= 0.5f + 1e-5, "radius " + n);
        }
        assertTrue(p.min().getFloat() >= 0f && p.max().getFloat() <= 1f);
        // inside the ball and box: unchanged
        NDArray near = orig.mul(0.9f).add(0.05f);
        AttackConfig wide = new AttackConfig(Norm.L2, 100f, 1, 0.1f, false);
        assertTrue(Pgd.project(near, orig, wide).sub(near).abs().max().getFloat() < 1e-6);
    }

    @Test
    void linfStepIsSignAndProjectionClips() {
        NDArray orig = manager.full(new Shape(2, 1, 2, 2), 0.5f);
        NDArray g = manager.create(new float[] {1, -2, 0.1f, -0.1f, 3, 3, -3, 3}, new Shape(2, 1, 2, 2));
        AttackConfig c = new AttackConfig(Norm.LINF, 0.03f, 1, 0.05f, false);
        NDArray s = Pgd.step(orig, g, c);
        assertEquals(0.55f, s.toFloatArray()[0], 1e-6);
        assertEquals(0.45f, s.toFloatArray()[1], 1e-6);
        NDArray p = Pgd.project(s, orig, c);
        assertTrue(p.sub(orig).abs().max().getFloat() <= 0.03f + 1e-6);
        NDArray edge = manager.full(new Shape(1, 1, 1, 1), 0.99f);
        assertEquals(1f, Pgd.project(edge.add(0.02f), edge, c).getFloat(), 0);
        NDArray r = Pgd.randomStart(orig, c);
        assertTrue(r.sub(orig).abs().max().getFloat() <= 0.03f + 1e-6);
    }

    @Test
    void attackRaisesLossStaysInBallAndLeavesNoParameterGradient() {
        ArchitectureSpec spec = ArchitectureSpec.smallCnn(8, 1, 28, 28, 10, new float[] {0.5f}, new float[] {0.25f});
        Network net = Network.create(spec, manager);
        try (NDManager bm = manager.newSubManager()) {
            NDArray x = bm.randomUniform(0f, 1f, new Shape(16, 1, 28, 28));
            NDArray y = bm.randomInteger(0, 10, new Shape(16), ai.djl.ndarray.types.DataType.INT32);
            NDArray oneHot = y.oneHot(10);
            AttackConfig c = new AttackConfig(Norm.L2, 1.0f, 5, 0.5f, true);
            float before = Losses.crossEntropy(net.forward(x, false), oneHot).mean().getFloat();
            NDArray adv = Pgd.attack(net, x, oneHot, c, null);
            float after = Losses.crossEntropy(net.forward(adv, false), oneHot).mean().getFloat();
            assertTrue(after > before, "loss " + before + " -> " + after);
            for (float n : norms(adv.sub(x))) {
                assertTrue(n <= 1.0f + 1e-4, "radius " + n);
            }
            assertFalse(adv.hasGradient());
            for (Pair<String, Parameter> p : net.parameters()) {
                NDArray w = p.getValue().getArray();
                if (p.getValue().requiresGradient() && w.hasGradient()) {
                    NDArray g = w.getGradient();
                    assertEquals(0f, g.abs().sum().getFloat(), 0f, p.getKey());
                    g.close();
                }
            }
        }
    }
}
