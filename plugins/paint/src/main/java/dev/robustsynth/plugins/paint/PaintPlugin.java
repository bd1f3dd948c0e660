package dev.robustsynth.plugins.paint;

import dev.robustsynth.spi.RobustSynthPlugin;
import dev.robustsynth.spi.SpiVersion;
import dev.robustsynth.spi.TaskFactory;
import java.util.Collection;
import java.util.List;

/** The plugin serving task type {@code paint}. */
public final class PaintPlugin implements RobustSynthPlugin {
    private final List<TaskFactory> factories = List.of(new PaintTaskFactory());

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String name() {
        return "rsynth-paint";
    }

    @Override
    public Collection<TaskFactory> taskFactories() {
        return factories;
    }
}
