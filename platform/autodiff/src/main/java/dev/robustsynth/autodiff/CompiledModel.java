package dev.robustsynth.autodiff;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The two graphs compiled from one classifier.
 *
 * <p>Both graphs hold the source model's weight initializers under the same names and, in memory,
 * the same (immutable) {@link TensorProto} objects. An engine that runs both in one process can
 * keep one copy of the weights: create an {@code OnnxTensor} per {@link #sharedInitializers()}
 * name and pass it to both sessions with {@code SessionOptions.addInitializer(name, tensor)}.
 *
 * @param synthesis x, target, w_ce, w_logit, w_&lt;L&gt; → logits, loss, grad_x, &lt;L&gt;
 * @param forward x → logits, &lt;L&gt; (for classification at the cost of a plain forward pass)
 * @param signature shapes and versions
 */
public record CompiledModel(ModelProto synthesis, ModelProto forward, ModelSignature signature) {
  public CompiledModel {
    Objects.requireNonNull(synthesis, "synthesis is null");
    Objects.requireNonNull(forward, "forward is null");
    Objects.requireNonNull(signature, "signature is null");
  }

  /** Names of initializers present, with identical content, in both graphs. */
  public List<String> sharedInitializers() {
    Map<String, TensorProto> inForward = new HashMap<>();
    for (TensorProto t : forward.getGraph().getInitializerList()) {
      inForward.put(t.getName(), t);
    }
    return synthesis.getGraph().getInitializerList().stream()
        .filter(t -> t == inForward.get(t.getName()) || t.equals(inForward.get(t.getName())))
        .map(TensorProto::getName).toList();
  }
}
