package dev.robustsynth.autodiff.compile;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.graph.Facts;
import dev.robustsynth.autodiff.graph.KnownValue;
import dev.robustsynth.autodiff.graph.NodeView;
import dev.robustsynth.autodiff.graph.Shape;
import dev.robustsynth.autodiff.graph.SourceGraph;
import dev.robustsynth.autodiff.graph.TensorType;
import dev.robustsynth.autodiff.graph.Tensors;
import dev.robustsynth.autodiff.ops.OpRegistry;
import dev.robustsynth.autodiff.ops.OpRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The compiler's facts about a source graph, computed once: which nodes the requested outputs
 * need, constant folding of shape plumbing, shape inference with the symbolic batch, and
 * activity (which float tensors depend on the image input).
 */
final class Analysis implements Facts {
  /** Initializers up to this many elements are decoded when a rule or the folder asks. */
  private static final long DECODE_LIMIT = 4096;

  private final SourceGraph src;
  private final Map<String, TensorType> types = new HashMap<>();
  private final Map<String, KnownValue> values = new HashMap<>();
  private final Set<String> varied = new HashSet<>();
  private final Set<String> needed = new HashSet<>();
  private final List<NodeView> live = new ArrayList<>();
  private final Map<String, String> producers = new HashMap<>();

  private Analysis(SourceGraph src) {
    this.src = src;
  }

  /** Analyses the nodes needed to compute {@code outputs} (source tensor names). */
  static Analysis run(SourceGraph src, Collection<String> outputs) throws CompileException {
    Analysis a = new Analysis(src);
    a.markNeeded(outputs);
    a.infer();
    return a;
  }

  private void markNeeded(Collection<String> outputs) throws CompileException {
    Set<String> produced = new HashSet<>(src.initializers().keySet());
    produced.add(src.input());
    for (NodeProto n : src.nodes()) {
      produced.addAll(n.getOutputList());
    }
    for (String o : outputs) {
      if (!produced.contains(o)) {
        throw new CompileException("no tensor named '" + o + "' in the model");
      }
    }
    needed.addAll(outputs);
    List<NodeProto> nodes = src.nodes();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      NodeProto n = nodes.get(i);
      if (n.getOutputList().stream().anyMatch(needed::contains)) {
        needed.addAll(n.getInputList());
      }
    }
    needed.remove("");
  }

  private void infer() throws CompileException {
    types.put(src.input(), src.inputType());
    varied.add(src.input());
    List<NodeProto> nodes = src.nodes();
    for (int i = 0; i < nodes.size(); i++) {
      NodeProto proto = nodes.get(i);
      if (proto.getOutputList().stream().noneMatch(needed::contains)) {
        continue;
      }
      NodeView n = new NodeView(proto, src.displayName(i), src.opset(), this);
      if (!proto.getDomain().isEmpty() && !proto.getDomain().equals("ai.onnx")) {
        throw unsupported(n);
      }
      boolean anyVaried = false;
      for (int k = 0; k < n.inputCount(); k++) {
        anyVaried |= n.varied(k);
      }
      boolean typeOnly = n.op().equals("Shape") || n.op().equals("Size");
      Optional<List<KnownValue>> folded = anyVaried && !typeOnly ? Optional.empty() : ConstantFolder.fold(n);
      if (folded.isPresent()) {
        for (int k = 0; k < proto.getOutputCount(); k++) {
          KnownValue v = folded.get().get(k);
          values.put(proto.getOutput(k), v);
          types.put(proto.getOutput(k), ConstantFolder.typeOf(v));
        }
        continue;
      }
      OpRule rule = OpRegistry.rule(n.op()).orElseThrow(() -> unsupported(n));
      List<TensorType> outs = rule.shape().infer(n);
      for (int k = 0; k < proto.getOutputCount(); k++) {
        String o = proto.getOutput(k);
        if (o.isEmpty()) {
          continue;
        }
        types.put(o, outs.get(k));
        producers.put(o, n.name());
        if (anyVaried && outs.get(k).isFloat()) {
          varied.add(o);
        }
      }
      live.add(n);
    }
  }

  private static CompileException unsupported(NodeView n) {
    Set<String> all = new TreeSet<>(OpRegistry.supported());
    all.addAll(ConstantFolder.OPS);
    String domain = n.proto().getDomain();
    return n.error("unsupported operator" + (domain.isEmpty() ? "" : " in domain '" + domain + "'")
        + "; supported: " + String.join(", ", all)
        + " (Shape, Gather, Cast and similar integer ops only where they fold to constants)");
  }

  /** Nodes to emit (needed and not folded), in topological order. */
  List<NodeView> live() {
    return live;
  }

  SourceGraph source() {
    return src;
  }

  /** Name of the node producing a live tensor, or null. */
  String producer(String tensor) {
    return producers.get(tensor);
  }

  @Override
  public TensorType type(String name) {
    TensorType t = types.get(name);
    if (t == null && src.initializers().containsKey(name)) {
      TensorProto p = src.initializers().get(name);
      t = new TensorType(p.getDataType(), Shape.of(p.getDimsList()));
      types.put(name, t);
    }
    return t;
  }

  @Override
  public Optional<KnownValue> value(String name) {
    KnownValue v = values.get(name);
    if (v == null && src.initializers().containsKey(name)) {
      TensorProto p = src.initializers().get(name);
      if (Tensors.count(p) <= DECODE_LIMIT) {
        v = KnownValue.of(p);
        values.put(name, v);
      }
    }
    return Optional.ofNullable(v);
  }

  @Override
  public boolean varied(String name) {
    return varied.contains(name);
  }

  @Override
  public boolean needed(String name) {
    return needed.contains(name);
  }
}
