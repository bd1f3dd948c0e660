package dev.robustsynth.engine.model;

import static java.util.Objects.requireNonNull;

/**
 * The serialised graphs of one model.
 *
 * @param synthesis inputs {@code x, target, w_ce, w_logit, w_<L>}; outputs {@code logits, loss, grad_x, <L>}
 * @param forward   input {@code x}; outputs {@code logits} and each exposed layer
 */
public record CompiledGraphs(byte[] synthesis, byte[] forward) {
    public CompiledGraphs {
        requireNonNull(synthesis, "synthesis is null");
        requireNonNull(forward, "forward is null");
    }
}
