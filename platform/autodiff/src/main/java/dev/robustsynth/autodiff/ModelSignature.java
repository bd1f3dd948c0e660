package dev.robustsynth.autodiff;

import java.util.List;
import java.util.Objects;

/**
 * The shapes of a compiled model's contract.
 *
 * @param channels C of the image input
 * @param height H of the image input
 * @param width W of the image input
 * @param classes K, the number of logits
 * @param exposed exposed activations in option order (per-example shapes)
 * @param opset opset of the emitted graphs
 * @param compilerVersion {@link SynthesisCompiler#COMPILER_VERSION}, part of any cache key
 */
public record ModelSignature(int channels, int height, int width, int classes, List<LayerInfo> exposed,
    int opset, String compilerVersion) {
  public ModelSignature {
    exposed = List.copyOf(exposed);
    Objects.requireNonNull(compilerVersion, "compilerVersion is null");
  }
}
