package dev.robustsynth.plugins.support;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.RobustSynthPlugin;
import dev.robustsynth.spi.SpiVersion;
import dev.robustsynth.spi.TaskFactory;
import java.util.Collection;
import java.util.List;

/**
 * A plugin that serves one task type, named {@code rsynth-<type>}. Its SPI version is the constant this class was
 * compiled against; plugin-support is shaded into each plugin jar and built with it, so that is the plugin's.
 */
public abstract class SingleTaskPlugin implements RobustSynthPlugin {
    private final TaskFactory<?> factory;

    protected SingleTaskPlugin(TaskFactory<?> factory) {
        this.factory = requireNonNull(factory, "factory is null");
    }

    @Override
    public final String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public final String name() {
        return "rsynth-" + factory.descriptor().type();
    }

    @Override
    public final Collection<TaskFactory<?>> taskFactories() {
        return List.of(factory);
    }
}
