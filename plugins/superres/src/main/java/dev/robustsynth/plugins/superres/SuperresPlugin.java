package dev.robustsynth.plugins.superres;

import dev.robustsynth.spi.RobustSynthPlugin;
import dev.robustsynth.spi.SpiVersion;
import dev.robustsynth.spi.TaskFactory;
import java.util.Collection;
import java.util.List;

/** The plugin serving task type {@code superres}. */
public final class SuperresPlugin implements RobustSynthPlugin {
    private final List<TaskFactory> factories = List.of(new SuperresTaskFactory());

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String name() {
        return "rsynth-superres";
    }

    @Override
    public Collection<TaskFactory> taskFactories() {
        return factories;
    }
}
