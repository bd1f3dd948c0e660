package dev.robustsynth.plugins.superres;

import dev.robustsynth.plugins.support.ClassParameter;
import dev.robustsynth.plugins.support.Pixels;
import dev.robustsynth.plugins.support.StepSettings;
import dev.robustsynth.plugins.support.TaskTuning;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Parameters;
import dev.robustsynth.spi.ValidationContext;
import java.util.Optional;
import java.util.Set;

/**
 * The parameters of one superres request, resolved against the model.
 *
 * @param lowRes      the low-resolution image in the model's channels
 * @param factor      the integer upsampling factor
 * @param upsampling  nearest or bilinear
 * @param targetClass the class given by the request; empty means the prediction on the upsampled image
 * @param consistency whether every iterate keeps the low-resolution image's block means exactly
 * @param steps       the PGD settings
 */
record SuperresRequest(Image lowRes, int factor, Upsampling upsampling, Optional<Integer> targetClass,
                       boolean consistency, StepSettings steps) {
    static final Set<String> PARAMETERS = Set.of("image", "factor", "upsample", "consistency", "class", StepSettings.EPS,
            StepSettings.STEP_SIZE, StepSettings.STEPS, StepSettings.KEEP_BEST);

    static SuperresRequest parse(ValidationContext context, TaskTuning tuning) throws InvalidParametersException {
        Parameters params = context.params();
        ModelInfo model = context.model();
        if (!params.has("factor")) {
            throw new InvalidParametersException("parameter 'factor' is required: the integer upsampling factor");
        }
        int factor = params.integer("factor", 0);
        if (factor < 2) {
            throw new InvalidParametersException("parameter 'factor' is " + factor + "; expected an integer ≥ 2");
        }
        if (model.height() % factor != 0 || model.width() % factor != 0) {
            throw new InvalidParametersException("parameter 'factor' is " + factor + "; it must divide model "
                    + model.name() + "'s input size " + model.width() + "x" + model.height());
        }
        Image image = context.requireImage("image");
        int h = model.height() / factor;
        int w = model.width() / factor;
        if (image.height() != h || image.width() != w) {
            throw new InvalidParametersException("parameter 'image' is " + image.width() + "x" + image.height()
                    + "; with factor " + factor + " model " + model.name() + " needs a " + w + "x" + h
                    + " low-resolution image (" + w + " × " + factor + " = " + model.width() + ")");
        }
        Image lowRes = Pixels.toChannels(image, model.channels(), "image");
        Upsampling upsampling = Upsampling.parse(params.string("upsample", Upsampling.BILINEAR.wireName()));
        return new SuperresRequest(lowRes, factor, upsampling, ClassParameter.optional(params, "class", model),
                params.bool("consistency", true), StepSettings.resolve(params, model, tuning));
    }
}
