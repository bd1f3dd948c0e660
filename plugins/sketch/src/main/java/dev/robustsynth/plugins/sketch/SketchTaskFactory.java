package dev.robustsynth.plugins.sketch;

import dev.robustsynth.plugins.support.AbstractTaskFactory;
import dev.robustsynth.plugins.support.ClassEditRequest;
import dev.robustsynth.plugins.support.GuidedEdit;
import dev.robustsynth.plugins.support.Pixels;
import dev.robustsynth.plugins.support.TaskTuning;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.ValidationContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Creates {@code sketch} tasks: translate's machinery with its own defaults. A drawing is far from any real image,
 * so the defaults are twice the model's eps and twice its steps; {@code invert} flips dark-on-light drawings for
 * models trained on light-on-dark images.
 */
public final class SketchTaskFactory extends AbstractTaskFactory<SketchTaskFactory.Plan> {
    public static final String TYPE = "sketch";
    public static final String VERSION = "1.0.0";
    static final Set<String> PARAMETERS;

    static {
        Set<String> names = new HashSet<>(ClassEditRequest.PARAMETERS);
        names.add("invert");
        PARAMETERS = Set.copyOf(names);
    }

    /** A parsed sketch request: the drawing (already inverted when asked) and whether it was. */
    record Plan(ClassEditRequest edit, boolean inverted) {
    }

    public SketchTaskFactory() {
        super(describe(SketchTaskFactory.class, TYPE, VERSION, "Sketch to image with a robust classifier",
                Set.of("image")), 2.0, 2.0);
    }

    @Override
    public Plan validate(ValidationContext context) throws InvalidParametersException {
        ClassEditRequest edit = ClassEditRequest.parse(context, tuning());
        boolean invert = context.params().bool("invert", false);
        return new Plan(invert ? edit.withImage(Pixels.invert(edit.image())) : edit, invert);
    }

    @Override
    public SynthesisTask create(Plan plan) {
        TaskTuning tuning = tuning();
        ClassEditRequest edit = plan.edit();
        Map<String, Object> metadata = new HashMap<>(edit.layoutMetadata());
        metadata.put("inverted", plan.inverted());
        return context -> new GuidedEdit(edit.item(context.model().info().numClasses()), edit.targetClass(),
                edit.steps()).run(context.model(), VERSION, tuning.progressEvery(), "sketch", metadata);
    }
}
