package dev.robustsynth.autodiff.emit;

import ai.onnx.proto.OnnxMl.AttributeProto;
import dev.robustsynth.autodiff.graph.NodeView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What a rule sees while it emits the forward node or the vector-Jacobian product of one source
 * node: the graph builder, the emitted names of the node's inputs and outputs, the upstream
 * gradient, and a small per-node store for values the forward emission saves for the backward one
 * (MaxPool's indices).
 */
public final class EmitContext {
  private final GraphBuilder builder;
  private final boolean synthesis;
  private final UnaryOperator<String> names;
  private final Map<String, Map<String, String>> saved = new HashMap<>();
  private NodeView node;
  private String dy;

  /**
   * @param builder the graph being emitted
   * @param synthesis true for the synthesis graph (save what the backward pass needs)
   * @param names maps a source tensor name to its emitted name, materialising constants
   */
  public EmitContext(GraphBuilder builder, boolean synthesis, UnaryOperator<String> names) {
    this.builder = builder;
    this.synthesis = synthesis;
    this.names = names;
  }

  /** Points the context at a node (and its upstream gradient, null in the forward pass). */
  public void at(NodeView view, String upstream) {
    this.node = view;
    this.dy = upstream;
  }

  public GraphBuilder b() {
    return builder;
  }

  /** True when emitting the synthesis graph, false for the forward-only graph. */
  public boolean synthesis() {
    return synthesis;
  }

  /** Emitted name of input {@code i} of the current node. */
  public String x(int i) {
    return names.apply(node.input(i));
  }

  /** Emitted name of output {@code i} of the current node. */
  public String y(int i) {
    return names.apply(node.output(i));
  }

  /** Gradient of the loss with respect to output 0 of the current node. */
  public String dy() {
    return dy;
  }

  /** A hint for names of the current node's gradient tensors. */
  public String gradHint(String what) {
    return "grad/" + node.input(0) + (what.isEmpty() ? "" : "/" + what);
  }

  public void save(String key, String value) {
    saved.computeIfAbsent(node.name(), k -> new HashMap<>()).put(key, value);
  }

  public String saved(String key) {
    Map<String, String> m = saved.get(node.name());
    String v = m == null ? null : m.get(key);
    if (v == null) {
      throw new IllegalStateException("node '" + node.name() + "' saved no '" + key + "'");
    }
    return v;
  }

  /**
   * Emits the current node unchanged except for names: every present input resolved, outputs
   * under their emitted names, attributes as given.
   */
  public void copy(List<AttributeProto> attrs) {
    List<String> ins = new ArrayList<>();
    for (int i = 0; i < node.inputCount(); i++) {
      ins.add(node.has(i) ? x(i) : "");
    }
    List<String> outs = new ArrayList<>();
    for (int i = 0; i < node.outputCount(); i++) {
      outs.add(node.output(i).isEmpty() ? "" : y(i));
    }
    builder.node(node.op(), ins, outs, attrs);
  }

  /** Emits the current node unchanged except for names. */
  public void copy() {
    copy(node.proto().getAttributeList());
  }
}
