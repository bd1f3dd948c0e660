package dev.robustsynth.plugins.support;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Parameters;
import dev.robustsynth.spi.ValidationContext;
import java.util.Set;

/**
 * The parameters translate and sketch share: an {@code image} of the model's size, a target {@code class} and the
 * PGD settings.
 *
 * @param image       the start image in the model's channels
 * @param targetClass the class to move toward
 * @param steps       the PGD settings
 */
public record ClassEditRequest(Image image, int targetClass, StepSettings steps) {
    /** The parameter names this request reads. */
    public static final Set<String> PARAMETERS = Set.of("image", "class", StepSettings.EPS, StepSettings.STEP_SIZE,
            StepSettings.STEPS, StepSettings.KEEP_BEST);

    public ClassEditRequest {
        requireNonNull(image, "image is null");
        requireNonNull(steps, "steps is null");
    }

    public static ClassEditRequest parse(ValidationContext context, TaskTuning tuning)
            throws InvalidParametersException {
        Parameters params = context.params();
        ModelInfo model = context.model();
        int target = ClassParameter.required(params, "class", model);
        Image image = Pixels.forModel(context.requireImage("image"), model, "image");
        return new ClassEditRequest(image, target, StepSettings.resolve(params, model, tuning));
    }
}
