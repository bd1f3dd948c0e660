package dev.robustsynth.plugins.translate;

import dev.robustsynth.plugins.support.AbstractTaskFactory;
import dev.robustsynth.plugins.support.ClassEditRequest;
import dev.robustsynth.plugins.support.GuidedEdit;
import dev.robustsynth.plugins.support.TaskTuning;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.ValidationContext;
import java.util.Set;

/**
 * Creates {@code translate} tasks. Defaults: eps 1.5 × the model's default (the result should keep the source's
 * layout but change class), steps 1.5 × the model's default.
 */
public final class TranslateTaskFactory extends AbstractTaskFactory<ClassEditRequest> {
    public static final String TYPE = "translate";
    public static final String VERSION = "1.0.0";

    public TranslateTaskFactory() {
        super(describe(TranslateTaskFactory.class, TYPE, VERSION,
                "Image-to-image translation toward a target class with a robust classifier", Set.of("image")),
                1.5, 1.5);
    }

    @Override
    public ClassEditRequest validate(ValidationContext context) throws InvalidParametersException {
        return ClassEditRequest.parse(context, tuning());
    }

    @Override
    public SynthesisTask create(ClassEditRequest plan) {
        TaskTuning tuning = tuning();
        return context -> new GuidedEdit(plan.item(context.model().info().numClasses()), plan.targetClass(),
                plan.steps()).run(context.model(), VERSION, tuning.progressEvery(), "source", plan.layoutMetadata());
    }
}
