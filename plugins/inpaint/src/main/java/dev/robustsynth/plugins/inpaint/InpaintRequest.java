package dev.robustsynth.plugins.inpaint;

import dev.robustsynth.plugins.support.ClassParameter;
import dev.robustsynth.plugins.support.Masks;
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
 * The parameters of one inpaint request, resolved against the model.
 *
 * @param image       the image in the model's channels
 * @param mask        the binarised mask, 1 = missing (empty for a hole)
 * @param hole        the requested square hole, when the request has no mask
 * @param targetClass the given class; empty means the prediction on the corrupted image
 * @param fill        what the missing pixels start as
 * @param lambda      weight of the squared error on the known pixels
 * @param keepKnown   whether the known pixels are frozen exactly
 * @param steps       the PGD settings
 */
record InpaintRequest(Image image, Optional<Image> mask, Optional<HoleSpec> hole,
                      Optional<Integer> targetClass, Fill fill, double lambda, boolean keepKnown, StepSettings steps) {
    static final Set<String> PARAMETERS = Set.of("image", "mask", "hole", "class", "fill", "lambda", "keepKnown",
            StepSettings.EPS, StepSettings.STEP_SIZE, StepSettings.STEPS, StepSettings.KEEP_BEST);
    static final double DEFAULT_LAMBDA = 10.0;

    static InpaintRequest parse(ValidationContext context, TaskTuning tuning) throws InvalidParametersException {
        Parameters params = context.params();
        ModelInfo model = context.model();
        Image image = Pixels.forModel(context.requireImage("image"), model, "image");
        boolean hasMask = context.image("mask").isPresent();
        boolean hasHole = params.has("hole");
        if (hasMask == hasHole) {
            throw new InvalidParametersException(hasMask ? "give either 'mask' or 'hole', not both"
                    : "give 'mask' (an image, white = missing) or 'hole' ({\"size\": n}) to say what is missing");
        }
        Optional<Image> mask = context.image("mask");
        if (mask.isPresent()) {
            Masks.requireSize(mask.get(), model.height(), model.width(), "mask", model.name());
            Image binary = Masks.binarize(mask.get());
            int missing = Masks.count(binary);
            if (missing == 0) {
                throw new InvalidParametersException("parameter 'mask' marks no pixel as missing (white = missing)");
            }
            if (missing == model.height() * model.width()) {
                throw new InvalidParametersException(
                        "parameter 'mask' marks every pixel as missing; inpainting needs known pixels");
            }
            mask = Optional.of(binary);
        }
        Optional<HoleSpec> hole = hasHole ? Optional.of(HoleSpec.parse(params.object("hole"), model))
                : Optional.empty();
        double lambda = params.number("lambda", DEFAULT_LAMBDA);
        if (!(lambda >= 0)) {
            throw new InvalidParametersException("parameter 'lambda' is " + lambda + "; expected a number ≥ 0");
        }
        return new InpaintRequest(image, mask, hole, ClassParameter.optional(params, "class", model),
                Fill.parse(params.string("fill", Fill.MEAN.wireName())), lambda, params.bool("keepKnown", false),
                StepSettings.resolve(params, model, tuning));
    }
}
