package dev.robustsynth.plugins.generate;

import dev.robustsynth.spi.RobustSynthPlugin;
import dev.robustsynth.spi.SpiVersion;
import dev.robustsynth.spi.TaskFactory;
import java.util.Collection;
import java.util.List;

/** The plugin serving task type {@code generate}. */
public final class GeneratePlugin implements RobustSynthPlugin {
    private final List<TaskFactory> factories = List.of(new GenerateTaskFactory());

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String name() {
        return "rsynth-generate";
    }

    @Override
    public Collection<TaskFactory> taskFactories() {
        return factories;
    }
}
