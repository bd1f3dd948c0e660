package dev.robustsynth.engine.schedule;

import dev.robustsynth.spi.ModelInfo;
import java.nio.FloatBuffer;

/**
 * One evaluation of the synthesis graph over a batch, as the scheduler sees it: the scheduler writes the first
 * {@code n} rows of the input buffers, calls {@link #run(int)}, and reads the first {@code n} rows of the output
 * buffers. The buffers have room for {@link #capacity()} rows, stay the same for the backend's life and are only
 * touched by the scheduler thread. Row sizes: {@code x} and {@code grad} D = C·H·W, {@code target},
 * {@code logitWeights} and {@code logits} K, {@code ceWeight} and {@code loss} 1, layer L its size.
 */
public interface GradientBackend {

    /** The model's shape, classes and layers; {@code Layers.graphLayers} gives the {@code w_<L>} inputs in order. */
    ModelInfo model();

    /** Most rows one run takes. */
    int capacity();

    FloatBuffer x();

    FloatBuffer target();

    FloatBuffer ceWeight();

    FloatBuffer logitWeights();

    /** Weights of graph layer {@code layer} (an index into {@code Layers.graphLayers(model())}). */
    FloatBuffer layerWeights(int layer);

    FloatBuffer loss();

    FloatBuffer grad();

    FloatBuffer logits();

    /** Evaluates loss, logits and the input gradient of the first {@code n} rows. */
    void run(int n) throws Exception;
}
