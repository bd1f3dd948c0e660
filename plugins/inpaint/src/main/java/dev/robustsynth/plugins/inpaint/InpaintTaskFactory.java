package dev.robustsynth.plugins.inpaint;

import dev.robustsynth.plugins.support.AbstractTaskFactory;
import dev.robustsynth.plugins.support.ImageLookup;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelCapability;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.TaskRequest;
import java.util.Set;

/**
 * Creates {@code inpaint} tasks. Defaults: the model's default eps and twice its steps (the anchor on the known
 * pixels slows the hole's progress), lambda 10.
 */
public final class InpaintTaskFactory extends AbstractTaskFactory {
    public static final String TYPE = "inpaint";
    public static final String VERSION = "1.0.0";

    public InpaintTaskFactory() {
        super(describe(InpaintTaskFactory.class, TYPE, VERSION,
                "Inpainting of a masked region or square hole with a robust classifier", Set.of("image", "mask"),
                Set.of(ModelCapability.GRADIENTS)), 1.0, 2.0);
    }

    @Override
    public void validate(TaskRequest request, ModelInfo model) throws InvalidParametersException {
        InpaintRequest.parse(request.params(), model, tuning(), ImageLookup.of(request.params()));
    }

    @Override
    public SynthesisTask create(TaskRequest request) {
        return new InpaintTask(tuning());
    }
}
