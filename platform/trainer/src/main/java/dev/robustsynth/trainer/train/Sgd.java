package dev.robustsynth.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.robustsynth.trainer.model.Network;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SGD with (Nesterov) momentum and L2 weight decay, PyTorch's formulation:
 * g ← ∇ + λw; v ← μv + g; w ← w − lr·(g + μv) (Nesterov) or w − lr·v. Zeroes gradients after the step.
 */
public final class Sgd {

    private final float momentum;
    private final boolean nesterov;
    private final float weightDecay;
    private final Map<String, NDArray> velocity = new LinkedHashMap<>();

    public Sgd(float momentum, boolean nesterov, float weightDecay) {
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    public void step(Network net, NDManager scratch, float lr) {
        for (Pair<String, Parameter> p : net.parameters()) {
            Parameter param = p.getValue();
            if (!param.requiresGradient()) {
                continue;
            }
            NDArray w = param.getArray();
            NDArray grad = w.getGradient();
            grad.attach(scratch);
            // every temporary must land in the scratch manager: results of w.mul(..) or v.mul(..) would
            // otherwise attach to the model's long-lived manager and leak each step
            NDArray g = grad.duplicate();
            if (weightDecay != 0) {
                NDArray decay = w.mul(weightDecay);
                decay.attach(scratch);
                g.addi(decay);
            }
            NDArray v = velocity.get(p.getKey());
            if (v == null) {
                v = g.duplicate();
                v.attach(w.getManager());
                velocity.put(p.getKey(), v);
            } else {
                v.muli(momentum).addi(g);
            }
            NDArray update;
            if (nesterov) {
                NDArray mv = v.mul(momentum);
                mv.attach(scratch);
                update = g.addi(mv);
            } else {
                update = v.duplicate();
                update.attach(scratch);
            }
            w.subi(update.muli(lr));
            grad.subi(grad);
        }
    }

    public Map<String, NDArray> velocity() {
        return velocity;
    }
}
