package dev.robustsynth.plugins.paint;

import dev.robustsynth.plugins.support.Masks;
import dev.robustsynth.plugins.support.Pixels;
import dev.robustsynth.plugins.support.StepSettings;
import dev.robustsynth.plugins.support.TaskTuning;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Parameters;
import dev.robustsynth.spi.ValidationContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters of one paint request, resolved against the model.
 *
 * @param image     the image in the model's channels
 * @param mask      the region mask as one grey channel, not binarised (labels are grey levels)
 * @param strokes   the strokes in order
 * @param lambda    weight of the squared change outside each stroke's region
 * @param feather   pixels beyond each region that may still change, with falling weight
 * @param selection how class-tied strokes pick their channel; empty = by seeds when the model has them
 * @param steps     the PGD settings of every stroke
 */
record PaintRequest(Image image, Optional<Image> mask, List<Stroke> strokes, double lambda, int feather,
                    Optional<FeatureSelector.Method> selection, StepSettings steps) {
    static final Set<String> PARAMETERS = Set.of("image", "mask", "strokes", "lambda", "feather", "featureSelection",
            StepSettings.EPS, StepSettings.STEP_SIZE, StepSettings.STEPS, StepSettings.KEEP_BEST);
    static final int MAX_STROKES = 16;
    static final double DEFAULT_LAMBDA = 0.0;
    static final int DEFAULT_FEATHER = 1;

    static PaintRequest parse(ValidationContext context, TaskTuning tuning) throws InvalidParametersException {
        Parameters params = context.params();
        ModelInfo model = context.model();
        Image image = Pixels.forModel(context.requireImage("image"), model, "image");
        Optional<Image> mask = context.image("mask");
        if (mask.isPresent()) {
            Masks.requireSize(mask.get(), model.height(), model.width(), "mask", model.name());
            mask = Optional.of(Pixels.toChannels(mask.get(), 1, "mask"));
        }
        List<?> raw = params.list("strokes");
        if (raw.isEmpty() || raw.size() > MAX_STROKES) {
            throw new InvalidParametersException("parameter 'strokes' has " + raw.size() + " strokes; expected 1 to "
                    + MAX_STROKES);
        }
        boolean hasMask = mask.isPresent();
        List<Stroke> strokes = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Stroke stroke = Stroke.parse(raw.get(i), i, model, hasMask);
            stroke.region().resolve(model.height(), model.width(), mask, stroke.name());
            strokes.add(stroke);
        }
        double lambda = params.number("lambda", DEFAULT_LAMBDA);
        if (!(lambda >= 0)) {
            throw new InvalidParametersException("parameter 'lambda' is " + lambda + "; expected a number ≥ 0");
        }
        int feather = params.integer("feather", DEFAULT_FEATHER);
        if (feather < 0 || feather > 8) {
            throw new InvalidParametersException("parameter 'feather' is " + feather + "; expected 0 to 8 pixels");
        }
        Optional<String> selection = params.string("featureSelection");
        return new PaintRequest(image, mask, List.copyOf(strokes), lambda, feather,
                selection.isPresent() ? Optional.of(FeatureSelector.Method.parse(selection.get())) : Optional.empty(),
                StepSettings.resolve(params, model, tuning));
    }
}
