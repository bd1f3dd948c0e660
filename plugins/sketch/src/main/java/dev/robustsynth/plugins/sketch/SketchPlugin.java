package dev.robustsynth.plugins.sketch;

import dev.robustsynth.plugins.support.SingleTaskPlugin;

/** The plugin serving task type {@code sketch}. */
public final class SketchPlugin extends SingleTaskPlugin {
    public SketchPlugin() {
        super(new SketchTaskFactory());
    }
}
