package dev.robustsynth.autodiff;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.robustsynth.autodiff.compile.GraphCompiler;
import dev.robustsynth.autodiff.ops.OpRegistry;
import java.util.List;
import java.util.Objects;

/**
 * Compiles a forward image classifier (any exporter's ONNX, opsets 9–18, one image input
 * [N,C,H,W], one logits output [N,K]) into the synthesis graph of DESIGN §4, which computes its
 * own input gradient with standard operators only, and a forward-only graph for classification.
 *
 * <pre>{@code
 * CompiledModel m = SynthesisCompiler.compile(model, CompileOptions.defaults().withExpose(List.of("feat")));
 * byte[] synthesis = m.synthesis().toByteArray();   // x, target, w_ce, w_logit, w_feat → logits, loss, grad_x, feat
 * byte[] forward = m.forward().toByteArray();       // x → logits, feat
 * }</pre>
 */
public final class SynthesisCompiler {
  /**
   * Version of the compiler's output format; changes whenever the emitted graphs may change.
   * Engines include it in the cache key of compiled graphs.
   */
  public static final String COMPILER_VERSION = "1.0.1";

  private SynthesisCompiler() {}

  /** Compiles a model; never returns a partial result. */
  public static CompiledModel compile(ModelProto model, CompileOptions options) throws CompileException {
    Objects.requireNonNull(model, "model is null");
    Objects.requireNonNull(options, "options is null");
    return GraphCompiler.compile(model, options, COMPILER_VERSION);
  }

  /** Activations a user can expose for feature painting, in graph order, with per-example shapes. */
  public static List<LayerInfo> layers(ModelProto model) throws CompileException {
    Objects.requireNonNull(model, "model is null");
    return GraphCompiler.layers(model);
  }

  /** Operator types the compiler differentiates (shape plumbing that folds is accepted too). */
  public static List<String> supportedOperators() {
    return OpRegistry.supported();
  }
}
