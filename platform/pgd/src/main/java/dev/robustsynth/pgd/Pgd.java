package dev.robustsynth.pgd;

import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.StepRule;

/**
 * The projected-gradient step rules of the robustness library, over one item's float arrays. Pure Java,
 * allocation-light and deterministic: the same inputs give bit-identical outputs on any JVM (Java float arithmetic
 * is strict), so an item's trajectory depends only on its own gradients. The engine and the plugin test kit both
 * run this code.
 *
 * <p>One step, given the model's gradient {@code g} at {@code x}:
 * <ol>
 *   <li>add the pixel-space gradients ({@link #addPixelGradient}): the anchor {@code 2λw⊙(x−x₀)} and the layout
 *       anchor {@code 2λ/f²·up(A x − y)};</li>
 *   <li>weight {@code g} by the change mask (0 where frozen); with a block-mean constraint, drop the part of
 *       {@code g} that would change a block mean;</li>
 *   <li>L2: {@code x ← x − α·g/‖g‖₂}; L∞: {@code x ← x − α·sign(g)} (descent: the objective is minimised);</li>
 *   <li>project onto the ball of radius eps around the centre (L2: rescale the difference; L∞: clip it);</li>
 *   <li>clip to the box [0,1]; with a block-mean constraint, alternate the exact block-mean projection
 *       {@code x ← x − up(A x − y)} and the box clip a few times, ending on the clip;</li>
 *   <li>put frozen values back to the start value, bit for bit.</li>
 * </ol>
 * Since the centre lies in [0,1] (and, with a constraint, is expected to satisfy it), clipping and the block
 * projection never leave the ball.
 */
public final class Pgd {

    /** Added to ‖g‖₂ and to ‖x−c‖₂ before dividing, as the robustness library does. */
    static final double TINY = 1e-10;

    private Pgd() {
    }

    /** The pixel-space terms of the loss: {@code λ·Σ w⊙(x−x₀)² + λ_L·‖A x − y‖²}, 0 without either. */
    public static double pixelLoss(PixelTerms terms, float[] x) {
        double sum = 0;
        if (terms.hasAnchor()) {
            float[] ref = terms.anchorReference();
            float[] w = terms.anchorWeight();
            for (int i = 0; i < x.length; i++) {
                double d = x[i] - ref[i];
                sum += w[i] * d * d;
            }
        }
        if (terms.layout() != null) {
            sum += terms.layoutLambda() * terms.blocks().squaredError(x, terms.layout());
        }
        return sum;
    }

    /** Adds the gradient of {@link #pixelLoss} at {@code x} to {@code grad}. */
    public static void addPixelGradient(PixelTerms terms, float[] x, float[] grad) {
        if (terms.hasAnchor()) {
            float[] ref = terms.anchorReference();
            float[] w = terms.anchorWeight();
            for (int i = 0; i < x.length; i++) {
                grad[i] += 2f * w[i] * (x[i] - ref[i]);
            }
        }
        if (terms.layout() != null) {
            BlockMean blocks = terms.blocks();
            int f = blocks.factor();
            blocks.addUp(grad, blocks.residual(x, terms.layout()), 2f * terms.layoutLambda() / (f * f));
        }
    }

    /**
     * Takes one projected step in place. {@code grad} is used as scratch and left masked.
     *
     * @return false, leaving {@code x} untouched, when the gradient holds a NaN or an infinity
     */
    public static boolean step(StepRule rule, PixelTerms terms, float[] x, float[] grad) {
        float[] mask = terms.mask();
        if (mask != null) {
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= mask[i];
            }
        }
        if (terms.consistency() != null) {
            terms.blocks().removeBlockMeans(grad);
        }
        double sumSquares = 0;
        for (float g : grad) {
            sumSquares += (double) g * g;
        }
        if (!Double.isFinite(sumSquares)) {
            return false;
        }
        if (rule.norm() == Norm.L2) {
            double norm = Math.sqrt(sumSquares);
            float scale = norm > 0 ? (float) (rule.stepSize() / (norm + TINY)) : 0f;
            for (int i = 0; i < x.length; i++) {
                x[i] -= scale * grad[i];
            }
        } else {
            float alpha = (float) rule.stepSize();
            for (int i = 0; i < x.length; i++) {
                x[i] -= alpha * Math.signum(grad[i]);
            }
        }
        project(rule, terms, x);
        return true;
    }

    /** Projects {@code x} onto the item's eps ball, the box and its block-mean constraint, then restores frozen values. */
    public static void project(StepRule rule, PixelTerms terms, float[] x) {
        float[] c = terms.centre();
        if (rule.norm() == Norm.L2) {
            double distance = 0;
            for (int i = 0; i < x.length; i++) {
                double d = x[i] - c[i];
                distance += d * d;
            }
            double norm = Math.sqrt(distance);
            if (norm > rule.eps()) {
                // Shrinks a hair more than eps/‖d‖ so that float rounding of c + s·d cannot leave the ball.
                float scale = (float) (rule.eps() / (norm + TINY) * (1 - 1e-6));
                for (int i = 0; i < x.length; i++) {
                    x[i] = c[i] + scale * (x[i] - c[i]);
                }
            }
        } else {
            float eps = (float) rule.eps();
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.min(c[i] + eps, Math.max(c[i] - eps, x[i]));
            }
        }
        clipAndFreeze(terms, x);
        if (terms.consistency() != null) {
            for (int round = 0; round < PixelTerms.CONSISTENCY_ROUNDS; round++) {
                terms.blocks().project(x, terms.consistency());
                clipAndFreeze(terms, x);
            }
        }
    }

    /** Clips to [0,1] and puts frozen values back to the start, bit for bit. */
    private static void clipAndFreeze(PixelTerms terms, float[] x) {
        float[] mask = terms.mask();
        if (mask == null) {
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.min(1f, Math.max(0f, x[i]));
            }
            return;
        }
        float[] start = terms.start();
        for (int i = 0; i < x.length; i++) {
            x[i] = mask[i] == 0f ? start[i] : Math.min(1f, Math.max(0f, x[i]));
        }
    }

    /**
     * Whether an item with early stop has reached it: the softmax probability of {@code targetClass} under
     * {@code logits} is at least the item's threshold.
     */
    public static boolean reachedStop(PixelTerms terms, float[] logits, int offset, int classes, int targetClass) {
        if (Double.isNaN(terms.stopAt())) {
            return false;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < classes; j++) {
            max = Math.max(max, logits[offset + j]);
        }
        double sum = 0;
        for (int j = 0; j < classes; j++) {
            sum += Math.exp(logits[offset + j] - max);
        }
        return Math.exp(logits[offset + targetClass] - max) / sum >= terms.stopAt();
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
