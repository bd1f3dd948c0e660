package dev.robustsynth.plugins.paint;

import dev.robustsynth.plugins.support.AbstractTaskFactory;
import dev.robustsynth.spi.ConfigKey;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.PluginConfig;
import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.ValidationContext;
import java.util.List;
import java.util.Set;

/** Creates {@code paint} tasks. Defaults per stroke: the model's default eps and steps, lambda 10. */
public final class PaintTaskFactory extends AbstractTaskFactory<PaintRequest> {
    public static final String TYPE = "paint";
    public static final String VERSION = "1.0.0";
    public static final String SELECTION_SEEDS = "selection-seeds";
    public static final String SELECTION_STEPS = "selection-steps";

    private volatile int selectionSeeds = 8;
    private volatile int selectionSteps = 10;

    public PaintTaskFactory() {
        super(describe(PaintTaskFactory.class, TYPE, VERSION,
                "Paint with the features of a robust classifier's representation", Set.of("image", "mask")),
                1.0, 1.0);
    }

    @Override
    protected List<ConfigKey> extraKeys() {
        return List.of(
                ConfigKey.intRange(SELECTION_SEEDS, 8, 2, 1000,
                        "seeds per class drawn to find the feature most tied to a class (featureSelection seeds)"),
                ConfigKey.intRange(SELECTION_STEPS, 10, 1, 1000,
                        "cross-entropy steps taken to find the feature most tied to a class (featureSelection image)"));
    }

    @Override
    protected void configure(PluginConfig config) {
        selectionSeeds = config.integer(SELECTION_SEEDS);
        selectionSteps = config.integer(SELECTION_STEPS);
    }

    @Override
    public PaintRequest validate(ValidationContext context) throws InvalidParametersException {
        return PaintRequest.parse(context, tuning());
    }

    @Override
    public SynthesisTask create(PaintRequest plan) {
        return new PaintTask(plan, tuning(), selectionSeeds, selectionSteps);
    }
}
