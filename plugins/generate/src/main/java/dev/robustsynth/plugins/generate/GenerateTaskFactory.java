package dev.robustsynth.plugins.generate;

import dev.robustsynth.plugins.support.AbstractTaskFactory;
import dev.robustsynth.spi.ConfigKey;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.PluginConfig;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.ValidationContext;
import java.util.List;
import java.util.Set;

/** Creates {@code generate} tasks. Defaults: the model's synthesis defaults unscaled (eps-scale 1, steps-scale 1). */
public final class GenerateTaskFactory extends AbstractTaskFactory<GenerateRequest> {
    public static final String TYPE = "generate";
    public static final String VERSION = "1.0.0";
    public static final String MAX_IMAGES = "max-images";

    private volatile int maxImages = 256;

    public GenerateTaskFactory() {
        super(describe(GenerateTaskFactory.class, TYPE, VERSION,
                "Class-conditional generation from seed statistics with a robust classifier", Set.of()), 1.0, 1.0);
    }

    @Override
    protected List<ConfigKey> extraKeys() {
        return List.of(ConfigKey.intRange(MAX_IMAGES, 256, 1, 100_000,
                "the most images (classes × count) one generate request may ask for"));
    }

    @Override
    protected void configure(PluginConfig config) {
        maxImages = config.integer(MAX_IMAGES);
    }

    @Override
    public GenerateRequest validate(ValidationContext context) throws InvalidParametersException {
        return GenerateRequest.parse(context.params(), context.model(), tuning(), maxImages);
    }

    @Override
    public SynthesisTask create(GenerateRequest plan) {
        return new GenerateTask(plan, tuning());
    }
}
