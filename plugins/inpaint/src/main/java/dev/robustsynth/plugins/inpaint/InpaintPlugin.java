package dev.robustsynth.plugins.inpaint;

import dev.robustsynth.spi.RobustSynthPlugin;
import dev.robustsynth.spi.SpiVersion;
import dev.robustsynth.spi.TaskFactory;
import java.util.Collection;
import java.util.List;

/** The plugin serving task type {@code inpaint}. */
public final class InpaintPlugin implements RobustSynthPlugin {
    private final List<TaskFactory> factories = List.of(new InpaintTaskFactory());

    @Override
    public String spiVersion() {
        return SpiVersion.CURRENT;
    }

    @Override
    public String name() {
        return "rsynth-inpaint";
    }

    @Override
    public Collection<TaskFactory> taskFactories() {
        return factories;
    }
}
