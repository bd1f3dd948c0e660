package dev.robustsynth.autodiff.graph;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.robustsynth.autodiff.CompileException;
import java.util.Optional;

/**
 * One source node together with what the compiler knows about its inputs: attribute access with
 * defaults, input types and compile-time values, and error messages that name the node.
 */
public final class NodeView {
  private final NodeProto node;
  private final String displayName;
  private final int opset;
  private final Facts facts;

  public NodeView(NodeProto node, String displayName, int opset, Facts facts) {
    this.node = node;
    this.displayName = displayName;
    this.opset = opset;
    this.facts = facts;
  }

  public NodeProto proto() {
    return node;
  }

  public String op() {
    return node.getOpType();
  }

  /** The node's name, or a generated one when the exporter left it empty. */
  public String name() {
    return displayName;
  }

  /** Opset of the source model's default domain. */
  public int opset() {
    return opset;
  }

  public int inputCount() {
    return node.getInputCount();
  }

  /** True when input {@code i} is present (optional inputs may be absent or empty). */
  public boolean has(int i) {
    return i < node.getInputCount() && !node.getInput(i).isEmpty();
  }

  public String input(int i) {
    return node.getInput(i);
  }

  public int outputCount() {
    return node.getOutputCount();
  }

  public String output(int i) {
    return node.getOutput(i);
  }

  /** Type of input {@code i}. */
  public TensorType in(int i) throws CompileException {
    if (!has(i)) {
      throw error("input " + i + " is missing");
    }
    TensorType t = facts.type(node.getInput(i));
    if (t == null) {
      throw error("type of input '" + node.getInput(i) + "' is unknown");
    }
    return t;
  }

  public Shape shape(int i) throws CompileException {
    return in(i).shape();
  }

  public Optional<KnownValue> value(int i) {
    return has(i) ? facts.value(node.getInput(i)) : Optional.empty();
  }

  /** The compile-time value of input {@code i}; fails when it is only known at run time. */
  public KnownValue constant(int i, String what) throws CompileException {
    return value(i).orElseThrow(() -> error(what + " (input " + i + ", '" + (has(i) ? input(i) : "")
        + "') must be a compile-time constant"));
  }

  /** Input {@code i} as longs that do not depend on the batch size. */
  public long[] constantLongs(int i, String what) throws CompileException {
    KnownValue v = constant(i, what);
    if (v.dependsOnBatch()) {
      throw error(what + " depends on the batch size: " + v);
    }
    return v.longs();
  }

  /** True when input {@code i} is float and depends on the image input. */
  public boolean varied(int i) {
    return has(i) && facts.varied(node.getInput(i));
  }

  /** True when output {@code i} is needed to compute the requested outputs. */
  public boolean isNeeded(int i) {
    return i < node.getOutputCount() && !node.getOutput(i).isEmpty() && facts.needed(node.getOutput(i));
  }

  public boolean hasAttr(String name) {
    return attr(name) != null;
  }

  public long i(String name, long dflt) {
    AttributeProto a = attr(name);
    return a == null ? dflt : a.getI();
  }

  public float f(String name, float dflt) {
    AttributeProto a = attr(name);
    return a == null ? dflt : a.getF();
  }

  public String s(String name, String dflt) {
    AttributeProto a = attr(name);
    return a == null ? dflt : a.getS().toStringUtf8();
  }

  /** An ints attribute, or {@code dflt} (may be null) when absent. */
  public long[] ints(String name, long[] dflt) {
    AttributeProto a = attr(name);
    return a == null ? dflt : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
  }

  public Optional<TensorProto> tensor(String name) {
    AttributeProto a = attr(name);
    return a == null ? Optional.empty() : Optional.of(a.getT());
  }

  public AttributeProto attr(String name) {
    for (AttributeProto a : node.getAttributeList()) {
      if (a.getName().equals(name)) {
        return a;
      }
    }
    return null;
  }

  /** An exception whose message names this node and its operator type. */
  public CompileException error(String message) {
    return new CompileException("node '" + displayName + "' (" + op() + "): " + message);
  }
}
