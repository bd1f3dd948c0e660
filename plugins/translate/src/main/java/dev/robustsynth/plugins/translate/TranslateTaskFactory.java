package dev.robustsynth.plugins.translate;

import dev.robustsynth.plugins.support.AbstractTaskFactory;
import dev.robustsynth.plugins.support.ClassEditRequest;
import dev.robustsynth.plugins.support.GuidedEdit;
import dev.robustsynth.plugins.support.ImageLookup;
import dev.robustsynth.plugins.support.TaskTuning;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelCapability;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.TaskRequest;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@code translate} tasks. Defaults: eps 1.5 × the model's default (the result should keep the source's
 * layout but change class), steps 1.5 × the model's default.
 */
public final class TranslateTaskFactory extends AbstractTaskFactory {
    public static final String TYPE = "translate";
    public static final String VERSION = "1.0.0";

    public TranslateTaskFactory() {
        super(describe(TranslateTaskFactory.class, TYPE, VERSION,
                "Image-to-image translation toward a target class with a robust classifier", Set.of("image"),
                Set.of(ModelCapability.GRADIENTS)), 1.5, 1.5);
    }

    @Override
    public void validate(TaskRequest request, ModelInfo model) throws InvalidParametersException {
        ClassEditRequest.parse(request.params(), model, tuning(), ImageLookup.of(request.params()));
    }

    @Override
    public SynthesisTask create(TaskRequest request) {
        TaskTuning tuning = tuning();
        return context -> {
            ClassEditRequest parsed = ClassEditRequest.parse(context.params(), context.model().info(), tuning,
                    ImageLookup.of(context));
            return new GuidedEdit(parsed.requireImage(), parsed.targetClass(),
                    parsed.steps()).run(context.model(), VERSION, tuning.progressEvery(), "source", Map.of());
        };
    }
}
