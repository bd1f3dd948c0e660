package dev.robustsynth.plugins.translate;

import dev.robustsynth.plugins.support.SingleTaskPlugin;

/** The plugin serving task type {@code translate}. */
public final class TranslatePlugin extends SingleTaskPlugin {
    public TranslatePlugin() {
        super(new TranslateTaskFactory());
    }
}
