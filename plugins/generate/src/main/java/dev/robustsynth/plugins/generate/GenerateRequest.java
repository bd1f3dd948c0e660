package dev.robustsynth.plugins.generate;

import dev.robustsynth.plugins.support.ClassParameter;
import dev.robustsynth.plugins.support.StepSettings;
import dev.robustsynth.plugins.support.TaskTuning;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Parameters;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The parameters of one generate request, resolved against the model.
 *
 * @param classes     the classes to generate, in order, without duplicates
 * @param count       images per class
 * @param seedKind    single Gaussian or mixture component
 * @param returnSeeds whether the seeds are returned too
 * @param stopAt      early stop: an image retires once its class has this probability (1: run every step)
 * @param steps       the PGD settings
 */
record GenerateRequest(List<Integer> classes, int count, SeedKind seedKind, boolean returnSeeds, double stopAt,
                       StepSettings steps) {
    static final double DEFAULT_STOP_AT = 0.9;

    /** Every parameter name the schema allows. */
    static final Set<String> PARAMETERS = Set.of("class", "classes", "count", "seedKind", "returnSeeds", "stopAt",
            StepSettings.EPS, StepSettings.STEP_SIZE, StepSettings.STEPS, StepSettings.KEEP_BEST);

    static GenerateRequest parse(Parameters params, ModelInfo model, TaskTuning tuning, int maxImages)
            throws InvalidParametersException {
        List<Integer> classes;
        if (params.has("class") && params.has("classes")) {
            throw new InvalidParametersException("give either 'class' or 'classes', not both");
        } else if (params.has("class")) {
            classes = List.of(ClassParameter.required(params, "class", model));
        } else if (params.has("classes")) {
            classes = ClassParameter.list(params, "classes", model);
            if (classes.isEmpty()) {
                throw new InvalidParametersException("parameter 'classes' is empty; name at least one class");
            }
        } else {
            classes = IntStream.range(0, model.numClasses()).boxed().toList();
        }
        int count = params.integer("count", 1);
        if (count < 1) {
            throw new InvalidParametersException("parameter 'count' is " + count + "; expected an integer ≥ 1");
        }
        long images = (long) count * classes.size();
        if (images > maxImages) {
            throw new InvalidParametersException("the request asks for " + images + " images (" + classes.size()
                    + " classes × count " + count + "); at most " + maxImages
                    + " are allowed (configuration key " + GenerateTaskFactory.MAX_IMAGES + ")");
        }
        SeedKind seedKind = SeedKind.parse(params.string("seedKind", SeedKind.GAUSSIAN.wireName()));
        double stopAt = params.number("stopAt", DEFAULT_STOP_AT);
        if (!(stopAt > 0 && stopAt <= 1)) {
            throw new InvalidParametersException("parameter 'stopAt' is " + stopAt + "; expected a probability in (0, 1]");
        }
        return new GenerateRequest(classes, count, seedKind, params.bool("returnSeeds", true), stopAt,
                StepSettings.resolve(params, model, tuning));
    }
}
