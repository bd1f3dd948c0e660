package dev.robustsynth.plugins.sketch;

import dev.robustsynth.spi.RobustSynthPlugin;
import dev.robustsynth.spi.SpiVersion;
import dev.robustsynth.spi.TaskFactory;
import java.util.Collection;
import java.util.List;

/** The plugin serving task type {@code sketch}. */
public final class SketchPlugin implements RobustSynthPlugin {
    private final List<TaskFactory> factories = List.of(new SketchTaskFactory());

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String name() {
        return "rsynth-sketch";
    }

    @Override
    public Collection<TaskFactory> taskFactories() {
        return factories;
    }
}
