package dev.robustsynth.plugins.sketch;

import dev.robustsynth.plugins.support.AbstractTaskFactory;
import dev.robustsynth.plugins.support.ClassEditRequest;
import dev.robustsynth.plugins.support.GuidedEdit;
import dev.robustsynth.plugins.support.ImageLookup;
import dev.robustsynth.plugins.support.Pixels;
import dev.robustsynth.plugins.support.TaskTuning;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelCapability;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.TaskRequest;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@code sketch} tasks: translate's machinery with its own defaults. A drawing is far from any real image,
 * so the defaults are twice the model's eps and twice its steps; {@code invert} flips dark-on-light drawings for
 * models trained on light-on-dark images.
 */
public final class SketchTaskFactory extends AbstractTaskFactory {
    public static final String TYPE = "sketch";
    public static final String VERSION = "1.0.0";
    static final Set<String> PARAMETERS;

    static {
        Set<String> names = new HashSet<>(ClassEditRequest.PARAMETERS);
        names.add("invert");
        PARAMETERS = Set.copyOf(names);
    }

    public SketchTaskFactory() {
        super(describe(SketchTaskFactory.class, TYPE, VERSION,
                "Sketch to image with a robust classifier", Set.of("image"), Set.of(ModelCapability.GRADIENTS)),
                2.0, 2.0);
    }

    @Override
    public void validate(TaskRequest request, ModelInfo model) throws InvalidParametersException {
        ClassEditRequest.parse(request.params(), model, tuning(), ImageLookup.of(request.params()));
        request.params().bool("invert", false);
    }

    @Override
    public SynthesisTask create(TaskRequest request) {
        TaskTuning tuning = tuning();
        return context -> {
            ClassEditRequest parsed = ClassEditRequest.parse(context.params(), context.model().info(), tuning,
                    ImageLookup.of(context));
            boolean invert = context.params().bool("invert", false);
            Image drawing = invert ? Pixels.invert(parsed.requireImage()) : parsed.requireImage();
            return new GuidedEdit(drawing, parsed.targetClass(), parsed.steps())
                    .run(context.model(), VERSION, tuning.progressEvery(), "sketch", Map.of("inverted", invert));
        };
    }
}
