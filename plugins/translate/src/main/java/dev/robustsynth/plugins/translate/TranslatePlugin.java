package dev.robustsynth.plugins.translate;

import dev.robustsynth.spi.RobustSynthPlugin;
import dev.robustsynth.spi.SpiVersion;
import dev.robustsynth.spi.TaskFactory;
import java.util.Collection;
import java.util.List;

/** The plugin serving task type {@code translate}. */
public final class TranslatePlugin implements RobustSynthPlugin {
    private final List<TaskFactory> factories = List.of(new TranslateTaskFactory());

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String name() {
        return "rsynth-translate";
    }

    @Override
    public Collection<TaskFactory> taskFactories() {
        return factories;
    }
}
