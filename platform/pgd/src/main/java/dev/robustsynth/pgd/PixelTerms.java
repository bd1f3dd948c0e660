package dev.robustsynth.pgd;

import dev.robustsynth.spi.BlockMeanAnchor;
import dev.robustsynth.spi.BlockMeanConstraint;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.PixelAnchor;
import dev.robustsynth.spi.SynthesisItem;

/**
 * The pixel-space part of one synthesis item, flattened to CHW arrays of the item's size: what the step rules of
 * {@link Pgd} read besides the model's gradient. Arrays are never shared with the caller and never mutated.
 *
 * @param start           the first iterate (projected onto the block-mean constraint, when there is one)
 * @param centre          centre of the eps ball (projected likewise)
 * @param mask            per-value weight of the gradient (0 = frozen, kept bit-identical to {@code start}); null
 *                        when everything may change
 * @param anchorReference reference of the pixel anchor; null without one
 * @param anchorWeight    λ·w of the pixel anchor, expanded to CHW; null without one
 * @param blocks          the block-mean operator of the constraint or the layout anchor; null without either
 * @param consistency     the block means the iterates must keep exactly (super-resolution); null without
 * @param layout          the block means the layout anchor pulls toward; null without
 * @param layoutLambda    λ of the layout anchor {@code λ·‖A x − layout‖²}
 * @param stopAt          retire the item once its target class has this probability; NaN for never
 */
public record PixelTerms(float[] start, float[] centre, float[] mask, float[] anchorReference, float[] anchorWeight,
                         BlockMean blocks, float[] consistency, float[] layout, float layoutLambda, double stopAt) {

    /** Box projections alternated with the block-mean projection after each step. */
    static final int CONSISTENCY_ROUNDS = 4;

    /** The terms of {@code item}, whose images must already have one shape (the engine's planner checks it). */
    public static PixelTerms of(SynthesisItem item) {
        Image start = item.start();
        int channels = start.channels();
        float[] mask = item.changeMask().map(m -> expand(m, channels)).orElse(null);
        float[] anchorReference = null;
        float[] anchorWeight = null;
        if (item.anchor().isPresent()) {
            PixelAnchor anchor = item.anchor().get();
            anchorReference = anchor.reference().pixels();
            anchorWeight = expand(anchor.weights(), channels);
            float lambda = (float) anchor.lambda();
            for (int i = 0; i < anchorWeight.length; i++) {
                anchorWeight[i] *= lambda;
            }
        }
        BlockMean blocks = null;
        float[] consistency = null;
        float[] layout = null;
        float layoutLambda = 0f;
        if (item.consistency().isPresent()) {
            BlockMeanConstraint c = item.consistency().get();
            blocks = new BlockMean(channels, start.height(), start.width(), c.factor());
            consistency = c.lowRes().pixels();
        }
        if (item.layout().isPresent()) {
            BlockMeanAnchor a = item.layout().get();
            blocks = new BlockMean(channels, start.height(), start.width(), a.factor());
            layout = a.lowRes().pixels();
            layoutLambda = (float) a.lambda();
        }
        float[] first = start.pixels();
        float[] centre = item.centre().pixels();
        if (consistency != null) {
            constrain(first, blocks, consistency);
            constrain(centre, blocks, consistency);
        }
        return new PixelTerms(first, centre, mask, anchorReference, anchorWeight, blocks,
                consistency, layout, layoutLambda, item.stopAtProbability().orElse(Double.NaN));
    }

    /**
     * {@code image} projected onto {@code constraint}'s block means the way the optimiser projects its start and
     * centre, so a caller can show the iterate the steps really start from.
     */
    public static Image consistent(Image image, BlockMeanConstraint constraint) {
        float[] x = image.pixels();
        constrain(x, new BlockMean(image.channels(), image.height(), image.width(), constraint.factor()),
                constraint.lowRes().pixels());
        return new Image(image.channels(), image.height(), image.width(), x);
    }

    /** Projects {@code x} onto the block means, alternating with the box, ending on the box. */
    static void constrain(float[] x, BlockMean blocks, float[] target) {
        for (int round = 0; round < CONSISTENCY_ROUNDS; round++) {
            blocks.project(x, target);
            for (int i = 0; i < x.length; i++) {
                x[i] = Math.min(1f, Math.max(0f, x[i]));
            }
        }
    }

    public boolean hasAnchor() {
        return anchorWeight != null;
    }

    /** A one-channel image repeated over {@code channels}, or a full-shape one as it is. */
    private static float[] expand(Image image, int channels) {
        float[] values = image.pixels();
        if (image.channels() == channels) {
            return values;
        }
        float[] out = new float[channels * values.length];
        for (int c = 0; c < channels; c++) {
            System.arraycopy(values, 0, out, c * values.length, values.length);
        }
        return out;
    }
}
