package dev.robustsynth.engine.model;

import java.util.List;

/**
 * Turns a forward classifier into the two graphs the engine runs: the synthesis graph of the gradient contract
 * (DESIGN §4) and a forward-only graph that outputs {@code logits} and the exposed layers.
 */
public interface GraphCompiler {

    /** Identifies the compiler's output format; part of the on-disk cache key. */
    String version();

    /**
     * @param forwardModel the serialised ONNX classifier ({@code x} → {@code logits})
     * @param layers       intermediate values to expose, in order
     */
    CompiledGraphs compile(byte[] forwardModel, List<String> layers) throws Exception;

    /**
     * Bytes one batch item of the synthesis graph needs while it runs (activations kept for the reverse pass,
     * their gradients, masks and indices), estimated from the forward classifier; empty when unknown.
     */
    default java.util.OptionalLong bytesPerItem(byte[] forwardModel) {
        return java.util.OptionalLong.empty();
    }
}
