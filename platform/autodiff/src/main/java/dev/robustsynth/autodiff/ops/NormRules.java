package dev.robustsynth.autodiff.ops;

import static dev.robustsynth.autodiff.ops.ElementwiseRules.grads;
import static dev.robustsynth.autodiff.ops.ElementwiseRules.h;

import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.emit.Attrs;
import dev.robustsynth.autodiff.emit.EmitContext;
import dev.robustsynth.autodiff.emit.GraphBuilder;
import dev.robustsynth.autodiff.graph.NodeView;
import dev.robustsynth.autodiff.graph.Shape;
import dev.robustsynth.autodiff.graph.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

/**
 * BatchNormalization (inference), Softmax, LogSoftmax, ReduceMean and ReduceSum. Opset changes
 * handled here: Softmax's 2-D coercion before 13, reduce axes moving from attribute to input
 * (ReduceSum at 13, ReduceMean at 18).
 */
final class NormRules {
  private NormRules() {}

  static List<OpRule> all() {
    return List.of(
        OpRule.of("BatchNormalization", NormRules::batchNormShape, NormRules::batchNorm),
        new OpRule("Softmax", ElementwiseRules::same, NormRules::softmaxForward, NormRules::softmax),
        new OpRule("LogSoftmax", ElementwiseRules::same, NormRules::softmaxForward, NormRules::logSoftmax),
        new OpRule("ReduceMean", NormRules::reduceShape, NormRules::reduceForward, NormRules::reduce),
        new OpRule("ReduceSum", NormRules::reduceShape, NormRules::reduceForward, NormRules::reduce));
  }

  private static List<TensorType> batchNormShape(NodeView n) throws CompileException {
    if (n.i("training_mode", 0) != 0 || n.outputCount() > 1) {
      throw n.error("BatchNormalization in training mode is not supported (export the model in eval mode)");
    }
    Shape x = n.shape(0);
    for (int i = 1; i <= 4; i++) {
      if (n.shape(i).rank() != 1 || n.shape(i).dim(0) != x.dim(1)) {
        throw n.error("parameter " + i + " has shape " + n.shape(i) + ", expected [" + x.dim(1) + "]");
      }
    }
    return List.of(n.in(0));
  }

  /** dX = dY · scale / sqrt(var + eps), the factor built from constants (ORT folds it). */
  private static List<String> batchNorm(NodeView n, EmitContext c) throws CompileException {
    for (int i = 1; i <= 4; i++) {
      if (n.varied(i)) {
        throw n.error("BatchNormalization parameters that depend on the input are not supported");
      }
    }
    GraphBuilder b = c.b();
    Shape x = n.shape(0);
    String std = b.op("Sqrt", h(c, "std"), List.of(b.add(c.x(4), b.scalar(n.f("epsilon", 1e-5f)), h(c, "var"))));
    String k = b.div(c.x(1), std, h(c, "k"));
    long[] target = new long[x.rank() - 1];
    Arrays.fill(target, 1);
    target[0] = x.dim(1);
    String kb = b.reshape(k, target, h(c, "kb"));
    return grads(n, b.mul(c.dy(), kb, h(c, "")));
  }

  private static int softmaxAxis(NodeView n) throws CompileException {
    return n.shape(0).axis(n.i("axis", n.opset() < 13 ? 1 : -1));
  }

  /** Axes a softmax normalises over: {axis} from opset 13, [axis, rank) before (2-D coercion). */
  private static long[] softmaxAxes(NodeView n) throws CompileException {
    int axis = softmaxAxis(n);
    int rank = n.shape(0).rank();
    return n.opset() < 13 ? LongStream.range(axis, rank).toArray() : new long[] {axis};
  }

  private static void softmaxForward(NodeView n, EmitContext c) throws CompileException {
    GraphBuilder b = c.b();
    long[] axes = softmaxAxes(n);
    if (axes.length == 1) {
      b.node(n.op(), List.of(c.x(0)), List.of(c.y(0)), List.of(Attrs.i("axis", axes[0])));
      return;
    }
    String flat = b.op("Flatten", c.y(0) + "/flat", List.of(c.x(0)), Attrs.i("axis", axes[0]));
    String s = b.op(n.op(), c.y(0) + "/2d", List.of(flat), Attrs.i("axis", 1));
    b.node("Reshape", List.of(s, b.int64s(n.shape(0).reshapeTarget())), List.of(c.y(0)), List.of());
  }

  private static List<String> softmax(NodeView n, EmitContext c) throws CompileException {
    GraphBuilder b = c.b();
    String dyy = b.mul(c.dy(), c.y(0), h(c, "dyy"));
    String s = b.reduceSum(dyy, softmaxAxes(n), true, h(c, "sum"));
    return List.of(b.mul(c.y(0), b.sub(c.dy(), s, h(c, "diff")), h(c, "")));
  }

  private static List<String> logSoftmax(NodeView n, EmitContext c) throws CompileException {
    GraphBuilder b = c.b();
    String s = b.reduceSum(c.dy(), softmaxAxes(n), true, h(c, "sum"));
    String p = b.op("Exp", h(c, "p"), List.of(c.y(0)));
    return List.of(b.sub(c.dy(), b.mul(p, s, h(c, "ps")), h(c, "")));
  }

  /** Sorted, non-negative reduce axes; all axes when none are given (unless noop). Null for noop. */
  private static long[] reduceAxes(NodeView n) throws CompileException {
    int rank = n.shape(0).rank();
    boolean axesAsInput = n.op().equals("ReduceSum") ? n.opset() >= 13 : n.opset() >= 18;
    long[] a = axesAsInput ? (n.has(1) ? n.constantLongs(1, "axes") : null) : n.ints("axes", null);
    if (a == null || a.length == 0) {
      if (axesAsInput && n.i("noop_with_empty_axes", 0) != 0) {
        return null;
      }
      return LongStream.range(0, rank).toArray();
    }
    long[] r = Arrays.stream(a).map(v -> v < 0 ? v + rank : v).sorted().toArray();
    for (long v : r) {
      if (v < 0 || v >= rank) {
        throw n.error("axis out of range in " + Arrays.toString(a));
      }
    }
    return r;
  }

  private static List<TensorType> reduceShape(NodeView n) throws CompileException {
    Shape in = n.shape(0);
    long[] axes = reduceAxes(n);
    if (axes == null) {
      return List.of(n.in(0));
    }
    boolean keep = n.i("keepdims", 1) != 0;
    List<Long> o = new ArrayList<>();
    for (int i = 0; i < in.rank(); i++) {
      if (Arrays.binarySearch(axes, i) < 0) {
        o.add(in.dim(i));
      } else if (keep) {
        o.add(1L);
      }
    }
    return List.of(new TensorType(n.in(0).elemType(), Shape.of(o)));
  }

  private static void reduceForward(NodeView n, EmitContext c) throws CompileException {
    GraphBuilder b = c.b();
    long[] axes = reduceAxes(n);
    if (axes == null) {
      b.node("Identity", List.of(c.x(0)), List.of(c.y(0)), List.of());
      return;
    }
    var keep = Attrs.i("keepdims", n.i("keepdims", 1));
    boolean asInput = n.op().equals("ReduceSum") || b.opset() >= 18;
    if (asInput) {
      b.node(n.op(), List.of(c.x(0), b.int64s(axes)), List.of(c.y(0)), List.of(keep));
    } else {
      b.node(n.op(), List.of(c.x(0)), List.of(c.y(0)), List.of(keep, Attrs.ints("axes", axes)));
    }
  }

  /** Unsqueeze (when keepdims=0), scale by 1/count for the mean, Expand to the input shape. */
  private static List<String> reduce(NodeView n, EmitContext c) throws CompileException {
    GraphBuilder b = c.b();
    long[] axes = reduceAxes(n);
    if (axes == null) {
      return grads(n, c.dy());
    }
    Shape in = n.shape(0);
    long count = 1;
    for (long a : axes) {
      if (in.isBatch((int) a)) {
        throw n.error("reducing over the batch axis is not supported");
      }
      count *= in.dim((int) a);
    }
    String g = n.i("keepdims", 1) != 0 ? c.dy() : b.unsqueeze(c.dy(), axes, h(c, "keep"));
    if (n.op().equals("ReduceMean")) {
      g = b.mul(g, b.scalar(1.0 / count), h(c, "mean"));
    }
    return grads(n, b.op("Expand", h(c, ""), List.of(g, b.int64s(in.expandTarget()))));
  }
}
