package dev.robustsynth.plugins.superres;

import dev.robustsynth.plugins.support.SingleTaskPlugin;

/** The plugin serving task type {@code superres}. */
public final class SuperresPlugin extends SingleTaskPlugin {
    public SuperresPlugin() {
        super(new SuperresTaskFactory());
    }
}
