package dev.robustsynth.engine.optim;

import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.StepRule;

/**
 * The projected-gradient step rules of the robustness library, over one example's float arrays. Pure Java,
 * allocation-free and deterministic: the same inputs give bit-identical outputs on any JVM (Java float arithmetic
 * is strict), so an item's trajectory depends only on its own gradients.
 *
 * <p>One step, given the graph's gradient {@code g} at {@code x}:
 * <ol>
 *   <li>add the pixel-anchor gradient {@code 2λw⊙(x−x₀)} ({@link #addAnchorGradient});</li>
 *   <li>weight {@code g} by the change mask (0 where frozen);</li>
 *   <li>L2: {@code x ← x − α·g/‖g‖₂}; L∞: {@code x ← x − α·sign(g)} (descent: the objective is minimised);</li>
 *   <li>project onto the ball of radius eps around the centre (L2: rescale the difference; L∞: clip it);</li>
 *   <li>clip to the box [0,1];</li>
 *   <li>put frozen values back to the start value, bit for bit.</li>
 * </ol>
 * Since the centre lies in [0,1], clipping to the box after projecting never leaves the ball.
 */
public final class Optimizer {

    /** Added to ‖g‖₂ and to ‖x−c‖₂ before dividing, as the robustness library does. */
    static final double TINY = 1e-10;

    private Optimizer() {
    }

    /** {@code λ·Σ w⊙(x−x₀)²} of the item's anchor, 0 without one. */
    public static double anchorLoss(ItemPlan plan, float[] x) {
        if (!plan.hasAnchor()) {
            return 0;
        }
        float[] ref = plan.anchorReference();
        float[] w = plan.anchorWeight();
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - ref[i];
            sum += w[i] * d * d;
        }
        return sum;
    }

    /** Adds {@code 2λw⊙(x−x₀)} to {@code grad}. */
    public static void addAnchorGradient(ItemPlan plan, float[] x, float[] grad) {
        if (!plan.hasAnchor()) {
            return;
        }
        float[] ref = plan.anchorReference();
        float[] w = plan.anchorWeight();
        for (int i = 0; i < x.length; i++) {
            grad[i] += 2f * w[i] * (x[i] - ref[i]);
        }
    }

    /**
     * Takes one projected step in place. {@code grad} is used as scratch and left masked. The passes are fused
     * (three over the image for L2, two for L∞) because this runs for every image of every tick.
     *
     * @return false, leaving {@code x} untouched, when the gradient holds a NaN or an infinity
     */
    public static boolean step(StepRule rule, ItemPlan plan, float[] x, float[] grad) {
        float[] mask = plan.mask();
        double sumSquares = 0;
        if (mask == null) {
            for (float g : grad) {
                sumSquares += (double) g * g;
            }
        } else {
            for (int i = 0; i < grad.length; i++) {
                float g = grad[i] * mask[i];
                grad[i] = g;
                sumSquares += (double) g * g;
            }
        }
        if (!Double.isFinite(sumSquares)) {
            return false;
        }
        float[] c = plan.centre();
        if (rule.norm() == Norm.L2) {
            double norm = Math.sqrt(sumSquares);
            float scale = norm > 0 ? (float) (rule.stepSize() / (norm + TINY)) : 0f;
            double distance = 0;
            for (int i = 0; i < x.length; i++) {
                float v = x[i] - scale * grad[i];
                x[i] = v;
                double d = v - c[i];
                distance += d * d;
            }
            finishL2(rule, plan, x, distance);
        } else {
            float alpha = (float) rule.stepSize();
            float eps = (float) rule.eps();
            for (int i = 0; i < x.length; i++) {
                float v = x[i] - alpha * Math.signum(grad[i]);
                x[i] = Math.min(c[i] + eps, Math.max(c[i] - eps, v));
            }
            clipAndFreeze(plan, x);
        }
        return true;
    }

    /** Projects {@code x} onto the item's eps ball and the box, then restores frozen values. */
    public static void project(StepRule rule, ItemPlan plan, float[] x) {
        float[] c = plan.centre();
        if (rule.norm() == Norm.L2) {
            double distance = 0;
            for (int i = 0; i < x.length; i++) {
                double d = x[i] - c[i];
                distance += d * d;
            }
            finishL2(rule, plan, x, distance);
        } else {
            float eps = (float) rule.eps();
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.min(c[i] + eps, Math.max(c[i] - eps, x[i]));
            }
            clipAndFreeze(plan, x);
        }
    }

    /** Rescales {@code x − c} onto the ball when {@code ‖x − c‖² = distance} exceeds eps², then clips. */
    private static void finishL2(StepRule rule, ItemPlan plan, float[] x, double distance) {
        double norm = Math.sqrt(distance);
        if (norm > rule.eps()) {
            // Shrinks a hair more than eps/‖d‖ so that float rounding of c + s·d cannot leave the ball.
            float scale = (float) (rule.eps() / (norm + TINY) * (1 - 1e-6));
            float[] c = plan.centre();
            for (int i = 0; i < x.length; i++) {
                x[i] = c[i] + scale * (x[i] - c[i]);
            }
        }
        clipAndFreeze(plan, x);
    }

    /** Clips to [0,1] and puts frozen values back to the start, bit for bit. */
    private static void clipAndFreeze(ItemPlan plan, float[] x) {
        float[] mask = plan.mask();
        if (mask == null) {
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.min(1f, Math.max(0f, x[i]));
            }
            return;
        }
        float[] start = plan.start();
        for (int i = 0; i < x.length; i++) {
            x[i] = mask[i] == 0f ? start[i] : Math.min(1f, Math.max(0f, x[i]));
        }
    }

    /** ‖a − b‖₂. */
    public static double l2Distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
