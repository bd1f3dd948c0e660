package dev.robustsynth.autodiff.graph;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.robustsynth.autodiff.CompileException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The classifier as read from its {@link ModelProto}: default-domain opset, initializers, nodes in
 * topological order with unique display names, the one image input (batch dimension made
 * symbolic) and the one logits output.
 */
public final class SourceGraph {
  private final int opset;
  private final Map<String, TensorProto> initializers;
  private final List<NodeProto> nodes;
  private final List<String> displayNames;
  private final String input;
  private final TensorType inputType;
  private final String output;

  private SourceGraph(int opset, Map<String, TensorProto> initializers, List<NodeProto> nodes,
      List<String> displayNames, String input, TensorType inputType, String output) {
    this.opset = opset;
    this.initializers = initializers;
    this.nodes = nodes;
    this.displayNames = displayNames;
    this.input = input;
    this.inputType = inputType;
    this.output = output;
  }

  /** Reads and checks a model. */
  public static SourceGraph of(ModelProto model) throws CompileException {
    GraphProto g = model.getGraph();
    int opset = -1;
    for (OperatorSetIdProto o : model.getOpsetImportList()) {
      if (o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx")) {
        opset = (int) o.getVersion();
      }
    }
    if (opset < 0) {
      throw new CompileException("the model imports no default-domain (ai.onnx) opset");
    }
    if (opset < 9 || opset > 18) {
      throw new CompileException("model opset " + opset + " is outside the supported range 9 to 18");
    }
    Map<String, TensorProto> inits = new LinkedHashMap<>();
    for (TensorProto t : g.getInitializerList()) {
      inits.put(t.getName(), t);
    }
    List<ValueInfoProto> inputs = g.getInputList().stream().filter(v -> !inits.containsKey(v.getName())).toList();
    if (inputs.size() != 1) {
      throw new CompileException("expected exactly one image input, found " + inputs.size() + ": "
          + inputs.stream().map(ValueInfoProto::getName).toList());
    }
    ValueInfoProto in = inputs.get(0);
    TensorType inType = imageType(in);
    if (g.getOutputCount() != 1) {
      throw new CompileException("expected exactly one logits output, found " + g.getOutputCount() + ": "
          + g.getOutputList().stream().map(ValueInfoProto::getName).toList());
    }
    List<NodeProto> sorted = topological(g, inits.keySet(), in.getName());
    List<String> names = displayNames(sorted);
    return new SourceGraph(opset, Collections.unmodifiableMap(inits), sorted, names, in.getName(), inType,
        g.getOutput(0).getName());
  }

  private static TensorType imageType(ValueInfoProto in) throws CompileException {
    if (!in.getType().hasTensorType()) {
      throw new CompileException("input '" + in.getName() + "' is not a tensor");
    }
    int elem = in.getType().getTensorType().getElemType();
    if (!Tensors.isFloat(elem)) {
      throw new CompileException("input '" + in.getName() + "' has element type " + Tensors.typeName(elem)
          + "; expected float");
    }
    TensorShapeProto s = in.getType().getTensorType().getShape();
    if (s.getDimCount() != 4) {
      throw new CompileException("input '" + in.getName() + "' has rank " + s.getDimCount()
          + "; expected an image batch [N,C,H,W]");
    }
    long[] dims = new long[4];
    dims[0] = Shape.N;
    for (int i = 1; i < 4; i++) {
      TensorShapeProto.Dimension d = s.getDim(i);
      if (!d.hasDimValue() || d.getDimValue() <= 0) {
        throw new CompileException("input '" + in.getName() + "' dimension " + i
            + " is not fixed; the compiler needs a fixed C, H and W");
      }
      dims[i] = d.getDimValue();
    }
    return new TensorType(elem, Shape.of(dims));
  }

  private static List<NodeProto> topological(GraphProto g, Set<String> inits, String input) throws CompileException {
    Set<String> available = new HashSet<>(inits);
    available.add(input);
    available.add("");
    Map<String, List<Integer>> waiting = new HashMap<>();
    int[] missing = new int[g.getNodeCount()];
    Deque<Integer> ready = new ArrayDeque<>();
    for (int i = 0; i < g.getNodeCount(); i++) {
      for (String s : new HashSet<>(g.getNode(i).getInputList())) {
        if (!available.contains(s)) {
          missing[i]++;
          waiting.computeIfAbsent(s, k -> new ArrayList<>()).add(i);
        }
      }
      if (missing[i] == 0) {
        ready.add(i);
      }
    }
    List<NodeProto> out = new ArrayList<>();
    while (!ready.isEmpty()) {
      NodeProto n = g.getNode(ready.poll());
      out.add(n);
      for (String o : n.getOutputList()) {
        for (int j : waiting.getOrDefault(o, List.of())) {
          if (--missing[j] == 0) {
            ready.add(j);
          }
        }
        waiting.remove(o);
      }
    }
    if (out.size() != g.getNodeCount()) {
      throw new CompileException("the graph has a cycle or tensors nobody produces: " + waiting.keySet());
    }
    return out;
  }

  private static List<String> displayNames(List<NodeProto> nodes) {
    Set<String> seen = new HashSet<>();
    List<String> r = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      String base = nodes.get(i).getName().isEmpty() ? nodes.get(i).getOpType() + "#" + i : nodes.get(i).getName();
      String name = base;
      for (int k = 1; !seen.add(name); k++) {
        name = base + "#" + k;
      }
      r.add(name);
    }
    return r;
  }

  /**
   * The same model with other nodes (re-sorted) and additional initializers: for graph rewrites
   * such as folding BatchNormalization into the preceding Conv.
   */
  public SourceGraph withNodes(List<NodeProto> newNodes, List<TensorProto> extraInitializers) throws CompileException {
    Map<String, TensorProto> inits = new LinkedHashMap<>(initializers);
    for (TensorProto t : extraInitializers) {
      inits.put(t.getName(), t);
    }
    GraphProto g = GraphProto.newBuilder().addAllNode(newNodes).build();
    List<NodeProto> sorted = topological(g, inits.keySet(), input);
    return new SourceGraph(opset, Collections.unmodifiableMap(inits), sorted, displayNames(sorted), input, inputType,
        output);
  }

  public int opset() {
    return opset;
  }

  public Map<String, TensorProto> initializers() {
    return initializers;
  }

  /** Nodes in topological order. */
  public List<NodeProto> nodes() {
    return nodes;
  }

  /** A unique name for node {@code i} (its own, or generated when empty or repeated). */
  public String displayName(int i) {
    return displayNames.get(i);
  }

  public String input() {
    return input;
  }

  public TensorType inputType() {
    return inputType;
  }

  public String output() {
    return output;
  }
}
