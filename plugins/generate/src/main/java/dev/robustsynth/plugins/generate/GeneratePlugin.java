package dev.robustsynth.plugins.generate;

import dev.robustsynth.plugins.support.SingleTaskPlugin;

/** The plugin serving task type {@code generate}. */
public final class GeneratePlugin extends SingleTaskPlugin {
    public GeneratePlugin() {
        super(new GenerateTaskFactory());
    }
}
