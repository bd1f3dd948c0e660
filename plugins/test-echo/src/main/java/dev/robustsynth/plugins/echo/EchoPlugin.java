package dev.robustsynth.plugins.echo;

import dev.robustsynth.spi.RobustSynthPlugin;
import dev.robustsynth.spi.SpiVersion;
import dev.robustsynth.spi.TaskFactory;
import java.util.Collection;
import java.util.List;

/** The test plugin: one task type, {@code echo}. */
public final class EchoPlugin implements RobustSynthPlugin {
    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String name() {
        return "rsynth-test-echo";
    }

    @Override
    public Collection<TaskFactory<?>> taskFactories() {
        return List.of(new EchoTaskFactory());
    }
}
