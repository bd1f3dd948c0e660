package dev.robustsynth.plugins.inpaint;

import dev.robustsynth.plugins.support.AbstractTaskFactory;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.ValidationContext;
import java.util.Set;

/**
 * Creates {@code inpaint} tasks. Defaults: the model's default eps and twice its steps (the anchor on the known
 * pixels slows the hole's progress), lambda 10.
 */
public final class InpaintTaskFactory extends AbstractTaskFactory<InpaintRequest> {
    public static final String TYPE = "inpaint";
    public static final String VERSION = "1.0.0";

    public InpaintTaskFactory() {
        super(describe(InpaintTaskFactory.class, TYPE, VERSION,
                "Inpainting of a masked region or square hole with a robust classifier", Set.of("image", "mask")),
                1.0, 2.0);
    }

    @Override
    public InpaintRequest validate(ValidationContext context) throws InvalidParametersException {
        return InpaintRequest.parse(context, tuning());
    }

    @Override
    public SynthesisTask create(InpaintRequest plan) {
        return new InpaintTask(plan, tuning());
    }
}
