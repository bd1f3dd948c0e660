package dev.robustsynth.engine.optim;

import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.ModelInfo;
import java.util.List;

/**
 * Which of a model's layers the synthesis graph carries as {@code w_<L>} inputs. A card may list the logits
 * themselves as a layer (named {@value #LOGITS}); the graph has no separate input for them, so their weights are
 * folded into {@code w_logit} and their values read from the {@code logits} output.
 */
public final class Layers {
    /** The name of the logits output, and of the layer that aliases it. */
    public static final String LOGITS = "logits";

    private Layers() {
    }

    /** The model's layers that have a {@code w_<L>} input, in order. */
    public static List<LayerInfo> graphLayers(ModelInfo model) {
        return model.layers().stream().filter(l -> !l.name().equals(LOGITS)).toList();
    }
}
