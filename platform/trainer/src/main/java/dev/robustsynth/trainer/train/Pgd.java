package dev.robustsynth.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.robustsynth.trainer.model.Network;
import java.util.function.Consumer;

/**
 * Projected gradient ascent on the cross-entropy loss with the robustness library's step rules.
 * L2: x + α·g/‖g‖₂ per example, then projection of x − x₀ onto the ε-ball and clipping to [0,1].
 * L∞: x + α·sign(g), then clipping of x − x₀ to [−ε, ε] and of x to [0,1].
 * The network runs in inference mode (batch-norm running statistics), as the robustness library does.
 */
public final class Pgd {

    private static final float TINY = 1e-10f;

    private Pgd() {
    }

    /** One ascent step (no projection). */
    public static NDArray step(NDArray x, NDArray grad, AttackConfig c) {
        if (c.norm() == AttackConfig.Norm.L2) {
            NDArray norm = l2Norms(grad);
            return x.add(grad.div(norm.add(TINY)).mul(c.stepSize()));
        }
        return x.add(grad.sign().mul(c.stepSize()));
    }

    /** Projection onto the ε-ball around {@code orig} intersected with the box [0,1]. */
    public static NDArray project(NDArray x, NDArray orig, AttackConfig c) {
        NDArray diff = x.sub(orig);
        if (c.norm() == AttackConfig.Norm.L2) {
            NDArray norm = l2Norms(diff);
            // torch.renorm: scale by maxnorm / (norm + 1e-7) where norm > maxnorm
            NDArray scale = norm.add(1e-7f).pow(-1).mul(c.eps()).minimum(1f);
            diff = diff.mul(scale);
        } else {
            diff = diff.clip(-c.eps(), c.eps());
        }
        return orig.add(diff).clip(0f, 1f);
    }

    /** A random point of the ε-ball (L2: on its sphere, as the robustness library draws it), in the box. */
    public static NDArray randomStart(NDArray orig, AttackConfig c) {
        NDManager m = orig.getManager();
        if (c.norm() == AttackConfig.Norm.L2) {
            NDArray r = m.randomNormal(orig.getShape());
            NDArray norm = l2Norms(r);
            return orig.add(r.div(norm.add(TINY)).mul(c.eps())).clip(0f, 1f);
        }
        NDArray r = m.randomUniform(-c.eps(), c.eps(), orig.getShape());
        return orig.add(r).clip(0f, 1f);
    }

    /** Per-example L2 norms, shape [N,1,1,1] (broadcastable against the batch). */
    public static NDArray l2Norms(NDArray batch) {
        return batch.square().sum(new int[] {1, 2, 3}, true).sqrt();
    }

    /**
     * Runs the attack and returns the final iterate (in {@code x}'s manager, no gradient attached).
     *
     * @param onLogits receives the logits at every iterate evaluated (the start and each step's input), or null
     */
    public static NDArray attack(Network net, NDArray x, NDArray oneHot, AttackConfig c, Consumer<NDArray> onLogits) {
        NDManager batch = x.getManager();
        NDArray cur = c.randomStart() ? randomStart(x, c) : x.duplicate();
        net.setParametersRequireGradient(false);
        try {
            for (int s = 0; s < c.steps(); s++) {
                try (NDManager sm = batch.newSubManager()) {
                    NDArray xa = cur.duplicate();
                    xa.attach(sm);
                    xa.setRequiresGradient(true);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = net.forward(xa, false);
                        if (onLogits != null) {
                            onLogits.accept(logits);
                        }
                        gc.backward(Losses.crossEntropy(logits, oneHot).sum());
                    }
                    NDArray g = xa.getGradient();
                    NDArray next = project(step(xa.stopGradient(), g, c), x, c);
                    next.attach(batch);
                    cur.close();
                    cur = next;
                }
            }
        } finally {
            net.setParametersRequireGradient(true);
        }
        return cur;
    }
}
