package dev.robustsynth.plugins.support;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Parameters;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters translate and sketch share: an {@code image} of the model's size, a target {@code class} and the
 * PGD settings.
 *
 * @param image       the start image in the model's channels; empty only at validation time when the host has not
 *                    decoded it
 * @param targetClass the class to move toward
 * @param steps       the PGD settings
 */
public record ClassEditRequest(Optional<Image> image, int targetClass, StepSettings steps) {
    /** The parameter names this request reads. */
    public static final Set<String> PARAMETERS = Set.of("image", "class", StepSettings.EPS, StepSettings.STEP_SIZE,
            StepSettings.STEPS, StepSettings.KEEP_BEST);

    public ClassEditRequest {
        requireNonNull(image, "image is null");
        requireNonNull(steps, "steps is null");
    }

    public static ClassEditRequest parse(Parameters params, ModelInfo model, TaskTuning tuning, ImageLookup images)
            throws InvalidParametersException {
        int target = ClassParameter.required(params, "class", model);
        Optional<Image> image = images.required(params, "image");
        Optional<Image> fitted = image.isPresent() ? Optional.of(Pixels.forModel(image.get(), model, "image"))
                : Optional.empty();
        return new ClassEditRequest(fitted, target, StepSettings.resolve(params, model, tuning));
    }

    /**
     * The image, which is always present at run time.
     *
     * @throws IllegalStateException at validation time without a decoded image
     */
    public Image requireImage() {
        return image.orElseThrow(() -> new IllegalStateException("image not decoded yet"));
    }
}
