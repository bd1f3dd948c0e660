package dev.robustsynth.plugins.paint;

import dev.robustsynth.plugins.support.SingleTaskPlugin;

/** The plugin serving task type {@code paint}. */
public final class PaintPlugin extends SingleTaskPlugin {
    public PaintPlugin() {
        super(new PaintTaskFactory());
    }
}
