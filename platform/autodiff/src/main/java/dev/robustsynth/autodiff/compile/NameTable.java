package dev.robustsynth.autodiff.compile;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.robustsynth.autodiff.emit.GraphBuilder;
import dev.robustsynth.autodiff.graph.KnownValue;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Maps source tensor names to emitted ones. Node outputs keep their names unless reserved by the
 * synthesis contract; initializers are emitted (sharing the source's proto) the first time a node
 * reads them; folded values become initializers the same way.
 */
final class NameTable implements UnaryOperator<String> {
  private final Map<String, String> names = new HashMap<>();
  private final GraphBuilder b;
  private final Analysis a;

  NameTable(GraphBuilder b, Analysis a) {
    this.b = b;
    this.a = a;
  }

  /** Binds a source tensor to an emitted name the caller has claimed. */
  void bind(String source, String emitted) {
    names.put(source, emitted);
  }

  /** The emitted name of a node output: its bound name, or a fresh one derived from the source name. */
  String define(String source) {
    return names.computeIfAbsent(source, b::fresh);
  }

  @Override
  public String apply(String source) {
    String n = names.get(source);
    if (n != null) {
      return n;
    }
    TensorProto init = a.source().initializers().get(source);
    if (init != null) {
      String name = b.isUsed(source) ? b.fresh(source) : source;
      b.initializer(name.equals(init.getName()) ? init : init.toBuilder().setName(name).build());
      names.put(source, name);
      return name;
    }
    Optional<KnownValue> v = a.value(source);
    if (v.isPresent()) {
      if (v.get().dependsOnBatch()) {
        throw new IllegalStateException("tensor '" + source + "' = " + v.get()
            + " depends on the batch size and cannot be a constant");
      }
      String name = b.constant(v.get(), source);
      names.put(source, name);
      return name;
    }
    throw new IllegalStateException("tensor '" + source + "' is used before it is defined");
  }
}
