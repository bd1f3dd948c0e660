package dev.robustsynth.plugins.inpaint;

import dev.robustsynth.plugins.support.SingleTaskPlugin;

/** The plugin serving task type {@code inpaint}. */
public final class InpaintPlugin extends SingleTaskPlugin {
    public InpaintPlugin() {
        super(new InpaintTaskFactory());
    }
}
