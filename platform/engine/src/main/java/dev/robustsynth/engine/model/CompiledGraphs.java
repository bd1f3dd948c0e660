package dev.robustsynth.engine.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The serialised graphs of one model.
 *
 * @param synthesis inputs {@code x, target, w_ce, w_logit, w_<L>}; outputs {@code logits, loss, grad_x, <L>}
 * @param forward   input {@code x}; outputs {@code logits} and each exposed layer
 * @param exposed   the layers both graphs expose, in order: those asked for that the compiler could expose
 */
public record CompiledGraphs(byte[] synthesis, byte[] forward, List<String> exposed) {
    public CompiledGraphs {
        requireNonNull(synthesis, "synthesis is null");
        requireNonNull(forward, "forward is null");
        exposed = List.copyOf(requireNonNull(exposed, "exposed is null"));
    }
}
