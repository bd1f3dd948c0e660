package dev.robustsynth.autodiff.emit;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import dev.robustsynth.autodiff.ExecutionTarget;
import dev.robustsynth.autodiff.graph.KnownValue;
import dev.robustsynth.autodiff.graph.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Accumulates the nodes, initializers, inputs and outputs of one emitted graph. Tensor names are
 * unique; small constants are deduplicated. Helpers that depend on the target opset (axes as
 * attribute or input) live here; so does the execution target a few rules consult.
 */
public final class GraphBuilder {
  /** Name of the symbolic batch dimension in emitted value infos. */
  public static final String BATCH_PARAM = "N";

  private final int opset;
  private final int floatType;
  private final ExecutionTarget target;
  private final GraphProto.Builder graph = GraphProto.newBuilder();
  private final Set<String> used = new HashSet<>();
  private final Set<String> initializers = new HashSet<>();
  private final Map<String, String> constants = new HashMap<>();
  private int nodeCount;

  public GraphBuilder(int opset, int floatType, ExecutionTarget target) {
    this.opset = opset;
    this.floatType = floatType;
    this.target = target;
  }

  /** The execution provider the graph is tuned for. */
  public ExecutionTarget target() {
    return target;
  }

  public int opset() {
    return opset;
  }

  /** The float type of the model (float or double), used for emitted constants. */
  public int floatType() {
    return floatType;
  }

  /** Claims a name; returns false when it is already taken. */
  public boolean claim(String name) {
    return used.add(name);
  }

  public boolean isUsed(String name) {
    return used.contains(name);
  }

  /** A new unique tensor name derived from {@code hint}. */
  public String fresh(String hint) {
    String base = hint.isEmpty() ? "t" : hint;
    if (used.add(base)) {
      return base;
    }
    for (int k = 1; ; k++) {
      String n = base + "_" + k;
      if (used.add(n)) {
        return n;
      }
    }
  }

  /** Adds a node with the given (already claimed) output names. */
  public void node(String op, List<String> inputs, List<String> outputs, List<AttributeProto> attrs) {
    NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(op + "_" + nodeCount++);
    n.addAllInput(inputs).addAllOutput(outputs).addAllAttribute(attrs);
    graph.addNode(n);
  }

  /** Adds a one-output node; its output gets a fresh name derived from {@code hint}. */
  public String op(String op, String hint, List<String> inputs, AttributeProto... attrs) {
    String out = fresh(hint);
    node(op, inputs, List.of(out), Arrays.asList(attrs));
    return out;
  }

  /** Adds an initializer under its own name (claims the name; a second add is ignored). */
  public String initializer(TensorProto t) {
    if (initializers.add(t.getName())) {
      used.add(t.getName());
      graph.addInitializer(t);
    }
    return t.getName();
  }

  /** Adds a constant; small constants with equal content share one initializer. */
  public String constant(KnownValue v, String hint) {
    String key = v.size() <= 64
        ? v.elemType() + ":" + Arrays.toString(v.dims())
            + (v.isInteger() ? Arrays.toString(v.longs()) : Arrays.toString(v.reals()))
        : null;
    if (key != null && constants.containsKey(key)) {
      return constants.get(key);
    }
    String name = fresh(hint);
    initializer(v.toTensor(name));
    if (key != null) {
      constants.put(key, name);
    }
    return name;
  }

  /** A 1-D int64 constant. */
  public String int64s(long... values) {
    return constant(KnownValue.int64s(values), "const_i64");
  }

  /** A scalar of the model's float type. */
  public String scalar(double v) {
    return constant(KnownValue.ofReals(floatType, new long[0], new double[] {v}), "const_f");
  }

  /** A float constant of the model's float type. */
  public String floats(long[] dims, double[] values, String hint) {
    return constant(KnownValue.ofReals(floatType, dims, values), hint);
  }

  public String add(String a, String b, String hint) {
    return op("Add", hint, List.of(a, b));
  }

  public String sub(String a, String b, String hint) {
    return op("Sub", hint, List.of(a, b));
  }

  public String mul(String a, String b, String hint) {
    return op("Mul", hint, List.of(a, b));
  }

  public String div(String a, String b, String hint) {
    return op("Div", hint, List.of(a, b));
  }

  public String neg(String a, String hint) {
    return op("Neg", hint, List.of(a));
  }

  /** Sum of one or more tensors (no node for a single one). */
  public String sum(List<String> terms, String hint) {
    if (terms.size() == 1) {
      return terms.get(0);
    }
    return op(terms.size() == 2 ? "Add" : "Sum", hint, terms);
  }

  /** ReduceSum over explicit, non-empty axes. */
  public String reduceSum(String x, long[] axes, boolean keepdims, String hint) {
    if (axes.length == 0) {
      throw new IllegalArgumentException("empty axes would reduce everything");
    }
    return op("ReduceSum", hint, List.of(x, int64s(axes)), Attrs.i("keepdims", keepdims ? 1 : 0));
  }

  public String unsqueeze(String x, long[] axes, String hint) {
    return op("Unsqueeze", hint, List.of(x, int64s(axes)));
  }

  public String squeeze(String x, long[] axes, String hint) {
    return op("Squeeze", hint, List.of(x, int64s(axes)));
  }

  /** Reshape to a static shape whose batch dimension (if any) is written as -1. */
  public String reshape(String x, Shape target, String hint) {
    return op("Reshape", hint, List.of(x, int64s(target.reshapeTarget())));
  }

  /** Reshape to explicit target values (0 copies, -1 infers). */
  public String reshape(String x, long[] target, String hint) {
    return op("Reshape", hint, List.of(x, int64s(target)));
  }

  public String transpose(String x, long[] perm, String hint) {
    return op("Transpose", hint, List.of(x), Attrs.ints("perm", perm));
  }

  /** Slice along axes with step 1. */
  public String slice(String x, long[] starts, long[] ends, long[] axes, String hint) {
    return op("Slice", hint, List.of(x, int64s(starts), int64s(ends), int64s(axes)));
  }

  /** Constant-mode Pad with full pads (begins then ends); negative pads crop. */
  public String pad(String x, long[] pads, String hint) {
    return op("Pad", hint, List.of(x, int64s(pads)), Attrs.s("mode", "constant"));
  }

  /** Declares a graph input. */
  public void input(String name, int elemType, Shape shape) {
    used.add(name);
    graph.addInput(valueInfo(name, elemType, shape));
  }

  /** Declares a graph output. */
  public void output(String name, int elemType, Shape shape) {
    graph.addOutput(valueInfo(name, elemType, shape));
  }

  /** Builds the graph proto. */
  public GraphProto build(String name) {
    return graph.clone().setName(name).build();
  }

  /** A value info with the batch dimension written as the parameter {@value #BATCH_PARAM}. */
  public static ValueInfoProto valueInfo(String name, int elemType, Shape shape) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (int i = 0; i < shape.rank(); i++) {
      TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
      if (shape.isBatch(i)) {
        d.setDimParam(BATCH_PARAM);
      } else {
        d.setDimValue(shape.dim(i));
      }
      s.addDim(d);
    }
    TypeProto type = TypeProto.newBuilder()
        .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(s)).build();
    return ValueInfoProto.newBuilder().setName(name).setType(type).build();
  }
}
