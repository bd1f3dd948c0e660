package dev.robustsynth.plugins.support;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.pgd.Resample;
import dev.robustsynth.spi.BlockMeanAnchor;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.Parameters;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.ValidationContext;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters translate and sketch share: an {@code image} of the model's size, a target {@code class} and the
 * PGD settings.
 *
 * @param image       the start image in the model's channels
 * @param targetClass the class to move toward
 * @param layout      the layout anchor on the image's block means; empty when {@code layoutLambda} is 0
 * @param steps       the PGD settings
 */
public record ClassEditRequest(Image image, int targetClass, Optional<BlockMeanAnchor> layout, StepSettings steps) {
    public static final String LAYOUT_LAMBDA = "layoutLambda";
    public static final String LAYOUT_FACTOR = "layoutFactor";
    public static final double DEFAULT_LAYOUT_LAMBDA = 2.0;
    public static final int DEFAULT_LAYOUT_FACTOR = 4;

    /** The parameter names this request reads. */
    public static final Set<String> PARAMETERS = Set.of("image", "class", LAYOUT_LAMBDA, LAYOUT_FACTOR,
            StepSettings.EPS, StepSettings.STEP_SIZE, StepSettings.STEPS, StepSettings.KEEP_BEST);

    public ClassEditRequest {
        requireNonNull(image, "image is null");
        requireNonNull(layout, "layout is null");
        requireNonNull(steps, "steps is null");
    }

    public static ClassEditRequest parse(ValidationContext context, TaskTuning tuning)
            throws InvalidParametersException {
        Parameters params = context.params();
        ModelInfo model = context.model();
        int target = ClassParameter.required(params, "class", model);
        Image image = Pixels.forModel(context.requireImage("image"), model, "image");
        double lambda = params.number(LAYOUT_LAMBDA, DEFAULT_LAYOUT_LAMBDA);
        if (!(lambda >= 0)) {
            throw new InvalidParametersException("parameter '" + LAYOUT_LAMBDA + "' is " + lambda
                    + "; expected a number ≥ 0");
        }
        int factor = params.integer(LAYOUT_FACTOR, DEFAULT_LAYOUT_FACTOR);
        if (factor < 1 || model.height() % factor != 0 || model.width() % factor != 0) {
            throw new InvalidParametersException("parameter '" + LAYOUT_FACTOR + "' is " + factor
                    + "; it must divide model " + model.name() + "'s input size " + model.width() + "x"
                    + model.height());
        }
        return new ClassEditRequest(image, target, layoutOf(image, factor, lambda),
                StepSettings.resolve(params, model, tuning));
    }

    /** The layout anchor on {@code image}'s block means at {@code factor}, empty for λ 0. */
    public static Optional<BlockMeanAnchor> layoutOf(Image image, int factor, double lambda) {
        return lambda > 0 ? Optional.of(new BlockMeanAnchor(
                Resample.AREA.apply(image, image.height() / factor, image.width() / factor), factor, lambda))
                : Optional.empty();
    }

    /** The same request on another start image (e.g. an inverted drawing); the layout follows the image. */
    public ClassEditRequest withImage(Image newImage) {
        return new ClassEditRequest(newImage, targetClass,
                layout.flatMap(a -> layoutOf(newImage, a.factor(), a.lambda())), steps);
    }

    /** The synthesis item: cross-entropy toward the class inside the ball around the image, with the layout anchor. */
    public SynthesisItem item(int numClasses) {
        SynthesisItem item = SynthesisItem.of(image, Objective.towardClass(targetClass, numClasses));
        return layout.isPresent() ? item.withLayout(layout.get()) : item;
    }

    /** The layout settings as task metadata. */
    public Map<String, Object> layoutMetadata() {
        return Map.of(LAYOUT_LAMBDA, layout.map(BlockMeanAnchor::lambda).orElse(0.0),
                LAYOUT_FACTOR, layout.map(BlockMeanAnchor::factor).orElse(0));
    }
}
