package dev.robustsynth.autodiff.ops;

import static dev.robustsynth.autodiff.ops.ElementwiseRules.h;

import ai.onnx.proto.OnnxMl.AttributeProto;
import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.ExecutionTarget;
import dev.robustsynth.autodiff.emit.Attrs;
import dev.robustsynth.autodiff.emit.EmitContext;
import dev.robustsynth.autodiff.emit.GraphBuilder;
import dev.robustsynth.autodiff.graph.NodeView;
import dev.robustsynth.autodiff.graph.Shape;
import dev.robustsynth.autodiff.graph.TensorType;
import dev.robustsynth.autodiff.graph.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pools. MaxPool routes the gradient to the arg-max of each window through the pool's flat
 * Indices output and a ScatterElements with {@code reduction="add"} (exact with overlapping
 * windows; needs opset 16). AveragePool's gradient is a depthwise ConvTranspose of dY scaled by a
 * constant map of inverse window counts (count_include_pad either way, ceil overhang clamped);
 * GlobalAveragePool's is an Expand.
 */
final class PoolRules {
  private PoolRules() {}

  static List<OpRule> all() {
    return List.of(
        new OpRule("MaxPool", PoolRules::maxPoolShape, PoolRules::maxPoolForward, PoolRules::maxPool),
        new OpRule("AveragePool", PoolRules::avgPoolShape, PoolRules::avgPoolForward, PoolRules::avgPool),
        OpRule.of("GlobalAveragePool", PoolRules::globalShape, PoolRules::globalAvgPool));
  }

  private static Window window(NodeView n) throws CompileException {
    long[] k = n.ints("kernel_shape", null);
    if (k == null) {
      throw n.error("kernel_shape is required");
    }
    return Window.of(n, k, n.i("ceil_mode", 0) != 0);
  }

  /** Forward attributes, ceil_mode folded into the end pads where possible (see {@link Window#floorPads()}). */
  private static List<AttributeProto> attrs(Window w, boolean dilations) {
    var floor = w.floorPads();
    List<AttributeProto> a = new ArrayList<>(List.of(Attrs.ints("kernel_shape", w.kernel()),
        Attrs.ints("strides", w.strides()), Attrs.ints("pads", floor.orElse(w.pads())),
        Attrs.i("ceil_mode", floor.isPresent() ? 0 : 1)));
    if (dilations) {
      a.add(Attrs.ints("dilations", w.dilations()));
    }
    return a;
  }

  private static List<TensorType> maxPoolShape(NodeView n) throws CompileException {
    Window w = window(n);
    Shape y = w.outShape(n.shape(0), n.shape(0).dim(1));
    List<TensorType> r = new ArrayList<>(List.of(new TensorType(n.in(0).elemType(), y)));
    if (n.outputCount() > 1) {
      r.add(new TensorType(Tensors.INT64, y));
    }
    return r;
  }

  /**
   * Forward MaxPool with explicit pads; in the synthesis graph, when the input depends on the
   * image, also the Indices output (storage_order 0: flat over N·C·H·W), saved for the backward.
   */
  private static void maxPoolForward(NodeView n, EmitContext c) throws CompileException {
    Window w = window(n);
    List<AttributeProto> a = new ArrayList<>(attrs(w, true));
    boolean wantIndices = c.synthesis() && n.varied(0);
    if (n.outputCount() > 1 && n.isNeeded(1)) {
      throw n.error("using MaxPool's Indices output in the model is not supported");
    }
    List<String> outs = new ArrayList<>(List.of(c.y(0)));
    if (wantIndices) {
      a.add(Attrs.i("storage_order", 0));
      String idx = c.b().fresh(c.y(0) + "/indices");
      outs.add(idx);
      c.save("indices", idx);
    }
    c.b().node("MaxPool", List.of(c.x(0)), outs, a);
  }

  /**
   * Scatter-add of dY at the forward's flat Indices. On CPU, non-overlapping windows (every input
   * position in at most one window) need no accumulation: one MaxUnpool does the zero-fill and the
   * scatter (CUDA has no MaxUnpool kernel, so the CUDA target always scatters). MaxUnpool gets the
   * pads the forward ran with: in ceil_mode these include the end pad of an overhanging last window,
   * without which ORT rejects the output shape as smaller than its minimum.
   */
  private static List<String> maxPool(NodeView n, EmitContext c) throws CompileException {
    GraphBuilder b = c.b();
    Shape x = n.shape(0);
    Window w = window(n);
    String shape = b.op("Shape", h(c, "shape"), List.of(c.x(0)));
    var forwardPads = w.floorPads();
    if (!w.overlapping() && b.target() == ExecutionTarget.CPU && forwardPads.isPresent()) {
      return List.of(b.op("MaxUnpool", h(c, ""), List.of(c.dy(), c.saved("indices"), shape),
          Attrs.ints("kernel_shape", w.kernel()), Attrs.ints("strides", w.strides()),
          Attrs.ints("pads", forwardPads.get())));
    }
    String flatShape = b.int64s(-1);
    String zeros = b.op("ConstantOfShape", h(c, "zeros"), List.of(shape),
        Attrs.tensor("value", Tensors.ofReals("value", b.floatType(), new long[] {1}, new double[] {0})));
    String zeroFlat = b.op("Reshape", h(c, "zf"), List.of(zeros, flatShape));
    String idx = b.op("Reshape", h(c, "idx"), List.of(c.saved("indices"), flatShape));
    String upd = b.op("Reshape", h(c, "upd"), List.of(c.dy(), flatShape));
    String scattered = b.op("ScatterElements", h(c, "scatter"), List.of(zeroFlat, idx, upd),
        Attrs.i("axis", 0), Attrs.s("reduction", "add"));
    return List.of(b.reshape(scattered, x, h(c, "")));
  }

  private static List<TensorType> avgPoolShape(NodeView n) throws CompileException {
    Window w = window(n);
    return List.of(new TensorType(n.in(0).elemType(), w.outShape(n.shape(0), n.shape(0).dim(1))));
  }

  /**
   * Forward AveragePool without ceil_mode (pads adjusted). With count_include_pad=1 the divisor of
   * a window overhanging the original end pad is clamped (PyTorch, ORT), which explicit pads
   * cannot express: the pool then runs with full-window divisors and a constant map corrects them.
   */
  private static void avgPoolForward(NodeView n, EmitContext c) throws CompileException {
    Window w = window(n);
    if (Arrays.stream(w.dilations()).anyMatch(d -> d != 1)) {
      throw n.error("AveragePool dilations are not supported");
    }
    boolean includePad = n.i("count_include_pad", 0) != 0;
    List<AttributeProto> a = new ArrayList<>(attrs(w, false));
    a.add(Attrs.i("count_include_pad", includePad ? 1 : 0));
    if (!includePad) {
      c.b().node("AveragePool", List.of(c.x(0)), List.of(c.y(0)), a);
      return;
    }
    double full = Arrays.stream(w.kernel()).reduce(1, (p, q) -> p * q);
    double[] map = inverseCountMap(w, true);
    boolean exact = Arrays.stream(map).allMatch(v -> Math.abs(v * full - 1) < 1e-12);
    if (exact || w.floorPads().isEmpty()) {
      c.b().node("AveragePool", List.of(c.x(0)), List.of(c.y(0)), a);
      return;
    }
    String pooled = c.b().op("AveragePool", c.y(0) + "/full", List.of(c.x(0)), a.toArray(new AttributeProto[0]));
    double[] fix = Arrays.stream(map).map(v -> v * full).toArray();
    String corr = c.b().floats(mapDims(w), fix, "avgpool_divisor_fix");
    c.b().node("Mul", List.of(pooled, corr), List.of(c.y(0)), List.of());
  }

  private static long[] mapDims(Window w) {
    long[] d = new long[2 + w.rank()];
    d[0] = 1;
    d[1] = 1;
    System.arraycopy(w.out(), 0, d, 2, w.rank());
    return d;
  }

  /** The [1,1,out…] map of inverse window counts. */
  private static double[] inverseCountMap(Window w, boolean includePad) {
    double[] map = new double[(int) Tensors.count(mapDims(w))];
    Arrays.fill(map, 1.0);
    for (int axis = 0, stride = map.length; axis < w.rank(); axis++) {
      double[] inv = inverseCounts(w, axis, includePad);
      stride /= inv.length;
      for (int i = 0; i < map.length; i++) {
        map[i] *= inv[(i / stride) % inv.length];
      }
    }
    return map;
  }

  /** Inverse window counts along one axis for each output position. */
  private static double[] inverseCounts(Window w, int axis, boolean includePad) {
    long in = w.in()[axis];
    long k = w.kernel()[axis];
    long s = w.strides()[axis];
    long[] out = w.out();
    double[] r = new double[(int) out[axis]];
    for (int o = 0; o < r.length; o++) {
      long start = o * s - w.begin()[axis];
      long end = Math.min(start + k, in + w.end()[axis]);
      long count = includePad ? end - start : Math.min(end, in) - Math.max(start, 0);
      r[o] = 1.0 / count;
    }
    return r;
  }

  private static List<String> avgPool(NodeView n, EmitContext c) throws CompileException {
    GraphBuilder b = c.b();
    Window w = window(n);
    Shape x = n.shape(0);
    long channels = x.dim(1);
    int sp = w.rank();
    boolean includePad = n.i("count_include_pad", 0) != 0;
    double[] map = inverseCountMap(w, includePad);
    boolean uniform = Arrays.stream(map).allMatch(v -> v == map[0]);
    String scale = uniform ? b.scalar(map[0]) : b.floats(mapDims(w), map, "avgpool_inv_counts");
    String scaled = b.mul(c.dy(), scale, h(c, "scaled"));
    long[] kDims = new long[2 + sp];
    kDims[0] = channels;
    kDims[1] = 1;
    System.arraycopy(w.kernel(), 0, kDims, 2, sp);
    double[] ones = new double[(int) Tensors.count(kDims)];
    Arrays.fill(ones, 1.0);
    String kernel = b.floats(kDims, ones, "avgpool_ones");
    long[] padEnd = new long[sp];
    long[] outPad = new long[sp];
    for (int i = 0; i < sp; i++) {
      long covered = w.strides()[i] * (w.out()[i] - 1) + w.kernel()[i];
      long delta = w.in()[i] + w.begin()[i] - covered;
      outPad[i] = Math.max(delta, 0);
      padEnd[i] = Math.max(-delta, 0);
    }
    long[] pads = Arrays.copyOf(w.begin(), 2 * sp);
    System.arraycopy(padEnd, 0, pads, sp, sp);
    return List.of(b.op("ConvTranspose", h(c, ""), List.of(scaled, kernel), Attrs.ints("kernel_shape", w.kernel()),
        Attrs.ints("strides", w.strides()), Attrs.ints("pads", pads), Attrs.ints("output_padding", outPad),
        Attrs.i("group", channels)));
  }

  private static List<TensorType> globalShape(NodeView n) throws CompileException {
    Shape x = n.shape(0);
    long[] o = x.dims();
    for (int i = 2; i < o.length; i++) {
      o[i] = 1;
    }
    return List.of(new TensorType(n.in(0).elemType(), Shape.of(o)));
  }

  private static List<String> globalAvgPool(NodeView n, EmitContext c) throws CompileException {
    GraphBuilder b = c.b();
    Shape x = n.shape(0);
    long area = Shape.of(Arrays.copyOfRange(x.dims(), 2, x.rank())).size();
    String scaled = b.mul(c.dy(), b.scalar(1.0 / area), h(c, "scaled"));
    return List.of(b.op("Expand", h(c, ""), List.of(scaled, b.int64s(x.expandTarget()))));
  }
}
