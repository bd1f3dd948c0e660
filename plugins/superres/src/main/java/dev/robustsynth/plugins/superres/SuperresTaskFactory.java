package dev.robustsynth.plugins.superres;

import dev.robustsynth.plugins.support.AbstractTaskFactory;
import dev.robustsynth.plugins.support.GuidedEdit;
import dev.robustsynth.plugins.support.TaskTuning;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.TaskContext;
import dev.robustsynth.spi.TaskException;
import dev.robustsynth.spi.TaskResult;
import dev.robustsynth.spi.ValidationContext;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@code superres} tasks. Defaults: half the model's default eps (the result should stay close to the
 * upsampled image and only sharpen it), the model's default steps.
 */
public final class SuperresTaskFactory extends AbstractTaskFactory<SuperresRequest> {
    public static final String TYPE = "superres";
    public static final String VERSION = "1.0.0";

    public SuperresTaskFactory() {
        super(describe(SuperresTaskFactory.class, TYPE, VERSION,
                "Super-resolution by an integer factor with a robust classifier", Set.of("image")), 0.5, 1.0);
    }

    @Override
    public SuperresRequest validate(ValidationContext context) throws InvalidParametersException {
        return SuperresRequest.parse(context, tuning());
    }

    @Override
    public SynthesisTask create(SuperresRequest plan) {
        TaskTuning tuning = tuning();
        return context -> run(plan, context, tuning);
    }

    private static TaskResult run(SuperresRequest request, TaskContext context, TaskTuning tuning)
            throws TaskException {
        ModelFacade model = context.model();
        ModelInfo info = model.info();
        Image upsampled = request.upsampling().apply(request.lowRes(), info.height(), info.width());
        int target = request.targetClass().isPresent() ? request.targetClass().get()
                : model.classify(List.of(upsampled)).get(0).topClass();
        return new GuidedEdit(upsampled, target, request.steps()).run(model, VERSION, tuning.progressEvery(),
                "upsampled", Map.of("factor", request.factor(), "upsample", request.upsampling().wireName(),
                        "target", request.targetClass().isPresent() ? "given" : "predicted"));
    }
}
