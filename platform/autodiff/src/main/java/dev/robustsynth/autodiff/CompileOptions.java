package dev.robustsynth.autodiff;

import java.util.List;

/**
 * What to compile.
 *
 * @param expose activations (source tensor names) to expose as outputs with {@code w_<name>}
 *     weight inputs in the loss; see {@link SynthesisCompiler#layers}
 * @param opset target opset of the emitted graphs, 16 to 18 (16 is the first with a scatter-add)
 * @param target execution provider the graphs are tuned for
 */
public record CompileOptions(List<String> expose, int opset, ExecutionTarget target) {
  /** The default target opset. */
  public static final int DEFAULT_OPSET = 17;

  public CompileOptions {
    expose = List.copyOf(expose);
    java.util.Objects.requireNonNull(target, "target is null");
    if (opset < 16 || opset > 18) {
      throw new IllegalArgumentException("target opset " + opset + " is outside 16 to 18");
    }
    if (expose.stream().distinct().count() != expose.size()) {
      throw new IllegalArgumentException("activation exposed twice in " + expose);
    }
  }

  /** No exposed activations, opset 17, CPU. */
  public static CompileOptions defaults() {
    return new CompileOptions(List.of(), DEFAULT_OPSET, ExecutionTarget.CPU);
  }

  /** These options exposing the given activations. */
  public CompileOptions withExpose(List<String> names) {
    return new CompileOptions(names, opset, target);
  }

  /** These options with another target opset. */
  public CompileOptions withOpset(int version) {
    return new CompileOptions(expose, version, target);
  }

  /** These options tuned for another execution provider. */
  public CompileOptions withTarget(ExecutionTarget t) {
    return new CompileOptions(expose, opset, t);
  }
}
