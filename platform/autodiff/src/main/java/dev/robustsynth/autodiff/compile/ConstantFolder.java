package dev.robustsynth.autodiff.compile;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.graph.KnownValue;
import dev.robustsynth.autodiff.graph.NodeView;
import dev.robustsynth.autodiff.graph.Shape;
import dev.robustsynth.autodiff.graph.ShapeMath;
import dev.robustsynth.autodiff.graph.TensorType;
import dev.robustsynth.autodiff.graph.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluates small constant subgraphs at compile time: Constant nodes and the integer shape plumbing
 * exporters put around Flatten and Reshape ({@code Shape → Gather → Unsqueeze → Concat}). Integer
 * values stay exact in the batch size (affine in N), so {@code Shape(x)[0]} folds to the symbol N.
 */
final class ConstantFolder {
  /** Operators the folder evaluates. Those outside {@link dev.robustsynth.autodiff.ops.OpRegistry}
   * are supported only when foldable. */
  static final Set<String> OPS = Set.of("Constant", "Identity", "Shape", "Size", "Cast", "Gather", "Unsqueeze",
      "Squeeze", "Concat", "Slice", "Reshape", "Flatten", "Transpose", "Add", "Sub", "Mul", "Div", "Neg", "Sqrt",
      "ConstantOfShape", "Range", "Equal", "Less", "Greater", "Not", "Where");

  private static final long MAX_ELEMENTS = 1 << 16;

  private ConstantFolder() {}

  /** The node's outputs if it can be evaluated now, else empty. */
  static Optional<List<KnownValue>> fold(NodeView n) throws CompileException {
    String op = n.op();
    if (!OPS.contains(op) || n.outputCount() != 1) {
      return Optional.empty();
    }
    boolean typeOnly = op.equals("Shape") || op.equals("Size");
    List<KnownValue> in = new ArrayList<>();
    for (int i = 0; i < n.inputCount(); i++) {
      if (!n.has(i)) {
        in.add(null);
      } else if (typeOnly) {
        in.add(null);
      } else {
        Optional<KnownValue> v = n.value(i);
        if (v.isEmpty()) {
          return Optional.empty();
        }
        in.add(v.get());
      }
    }
    try {
      KnownValue r = eval(n, in);
      if (r == null || r.size() > MAX_ELEMENTS) {
        return Optional.empty();
      }
      return Optional.of(List.of(r));
    } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
      throw n.error("cannot evaluate at compile time: " + e.getMessage());
    }
  }

  private static KnownValue eval(NodeView n, List<KnownValue> in) throws CompileException {
    return switch (n.op()) {
      case "Constant" -> constant(n);
      case "Identity" -> in.get(0);
      case "Shape" -> shape(n);
      case "Size" -> size(n.shape(0));
      case "Cast" -> cast(in.get(0), (int) n.i("to", Tensors.FLOAT));
      case "Gather" -> gather(in.get(0), in.get(1), (int) n.i("axis", 0));
      case "Unsqueeze", "Squeeze", "Reshape", "Flatten" -> in.get(0).reshape(outputDims(n));
      case "Concat" -> concat(in, (int) n.i("axis", 0));
      case "Transpose" -> transpose(in.get(0), n.ints("perm", null));
      case "Slice" -> slice(n, in);
      case "Neg" -> Elementwise.unary(in.get(0), v -> -v, v -> -v);
      case "Sqrt" -> in.get(0).isInteger() ? null : Elementwise.unary(in.get(0), null, Math::sqrt);
      case "Add", "Sub", "Mul", "Div" -> Elementwise.arith(n.op(), in.get(0), in.get(1));
      case "Equal", "Less", "Greater" -> Elementwise.compare(n.op(), in.get(0), in.get(1));
      case "Not" -> Elementwise.unary(in.get(0), v -> v == 0 ? 1 : 0, null);
      case "Where" -> Elementwise.where(in.get(0), in.get(1), in.get(2));
      case "ConstantOfShape" -> constantOfShape(n, in.get(0));
      case "Range" -> range(in.get(0), in.get(1), in.get(2));
      default -> null;
    };
  }

  /** Output dims of a data-movement op whose input is known, via the op's own shape rule. */
  private static long[] outputDims(NodeView n) throws CompileException {
    var rule = dev.robustsynth.autodiff.ops.OpRegistry.rule(n.op()).orElseThrow();
    Shape s = rule.shape().infer(n).get(0).shape();
    return s.dims();
  }

  private static KnownValue constant(NodeView n) throws CompileException {
    Optional<TensorProto> t = n.tensor("value");
    if (t.isPresent()) {
      return KnownValue.of(t.get());
    }
    if (n.hasAttr("value_float")) {
      return KnownValue.ofReals(Tensors.FLOAT, new long[0], new double[] {n.f("value_float", 0)});
    }
    if (n.hasAttr("value_int")) {
      return KnownValue.ofLongs(Tensors.INT64, new long[0], new long[] {n.i("value_int", 0)});
    }
    if (n.hasAttr("value_ints")) {
      return KnownValue.int64s(n.ints("value_ints", null));
    }
    if (n.hasAttr("value_floats")) {
      var a = n.attr("value_floats");
      double[] v = a.getFloatsList().stream().mapToDouble(Float::doubleValue).toArray();
      return KnownValue.ofReals(Tensors.FLOAT, new long[] {v.length}, v);
    }
    throw n.error("Constant without a supported value attribute");
  }

  private static KnownValue shape(NodeView n) throws CompileException {
    Shape s = n.shape(0);
    int r = s.rank();
    long start = n.i("start", 0);
    long end = n.i("end", r);
    int from = (int) Math.max(0, Math.min(r, start < 0 ? start + r : start));
    int to = (int) Math.max(0, Math.min(r, end < 0 ? end + r : end));
    int len = Math.max(0, to - from);
    long[] v = new long[len];
    long[] c = new long[len];
    for (int i = 0; i < len; i++) {
      if (s.isBatch(from + i)) {
        c[i] = 1;
      } else {
        v[i] = s.dim(from + i);
      }
    }
    return KnownValue.ofAffine(Tensors.INT64, new long[] {len}, v, c);
  }

  private static KnownValue size(Shape s) {
    long p = s.sizeWithoutBatch();
    return s.hasBatch() ? KnownValue.ofAffine(Tensors.INT64, new long[0], new long[] {0}, new long[] {p})
        : KnownValue.ofLongs(Tensors.INT64, new long[0], new long[] {p});
  }

  private static KnownValue cast(KnownValue v, int to) {
    if (Tensors.isInteger(to)) {
      if (v.isInteger()) {
        long[] val = new long[v.size()];
        long[] coef = new long[v.size()];
        for (int i = 0; i < val.length; i++) {
          val[i] = to == Tensors.BOOL ? (v.value(i) != 0 || v.coef(i) != 0 ? 1 : 0) : v.value(i);
          coef[i] = to == Tensors.BOOL ? 0 : v.coef(i);
        }
        return KnownValue.ofAffine(to, v.dims(), val, coef);
      }
      double[] r = v.reals();
      long[] val = new long[r.length];
      for (int i = 0; i < r.length; i++) {
        val[i] = to == Tensors.BOOL ? (r[i] != 0 ? 1 : 0) : (long) r[i];
      }
      return KnownValue.ofLongs(to, v.dims(), val);
    }
    double[] r = v.reals();
    if (to == Tensors.FLOAT) {
      for (int i = 0; i < r.length; i++) {
        r[i] = (float) r[i];
      }
    } else if (to != Tensors.DOUBLE) {
      return null;
    }
    return KnownValue.ofReals(to, v.dims(), r);
  }

  private static KnownValue gather(KnownValue data, KnownValue idx, int axis) {
    long[] d = data.dims();
    int a = axis < 0 ? axis + d.length : axis;
    long[] ind = idx.longs();
    long outer = Tensors.count(Arrays.copyOfRange(d, 0, a));
    long inner = Tensors.count(Arrays.copyOfRange(d, a + 1, d.length));
    long[] outDims = concatDims(Arrays.copyOfRange(d, 0, a), idx.dims(), Arrays.copyOfRange(d, a + 1, d.length));
    List<Integer> sel = new ArrayList<>();
    for (long o = 0; o < outer; o++) {
      for (long j : ind) {
        long jj = j < 0 ? j + d[a] : j;
        if (jj < 0 || jj >= d[a]) {
          throw new IllegalArgumentException("Gather index " + j + " out of range " + d[a]);
        }
        for (long q = 0; q < inner; q++) {
          sel.add((int) ((o * d[a] + jj) * inner + q));
        }
      }
    }
    return Elementwise.select(data, outDims, sel);
  }

  private static long[] concatDims(long[]... parts) {
    return Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
  }

  private static KnownValue concat(List<KnownValue> in, int axis) {
    long[] d0 = in.get(0).dims();
    int a = axis < 0 ? axis + d0.length : axis;
    long outer = Tensors.count(Arrays.copyOfRange(d0, 0, a));
    long total = 0;
    for (KnownValue v : in) {
      total += v.dims()[a];
    }
    long[] outDims = d0.clone();
    outDims[a] = total;
    List<KnownValue> parts = new ArrayList<>();
    List<Integer> sel = new ArrayList<>();
    List<Integer> from = new ArrayList<>();
    for (long o = 0; o < outer; o++) {
      for (int k = 0; k < in.size(); k++) {
        long chunk = Tensors.count(Arrays.copyOfRange(in.get(k).dims(), a, d0.length));
        for (long q = 0; q < chunk; q++) {
          sel.add((int) (o * chunk + q));
          from.add(k);
        }
      }
    }
    parts.addAll(in);
    return Elementwise.gatherFrom(parts, from, sel, outDims);
  }

  private static KnownValue slice(NodeView n, List<KnownValue> in) throws CompileException {
    KnownValue data = in.get(0);
    long[] d = data.dims();
    long[] starts = in.get(1).longs();
    long[] ends = in.get(2).longs();
    long[] axes = in.size() > 3 && in.get(3) != null ? in.get(3).longs() : null;
    long[] steps = in.size() > 4 && in.get(4) != null ? in.get(4).longs() : null;
    long[][] b = new long[d.length][];
    for (int i = 0; i < d.length; i++) {
      b[i] = new long[] {0, 1, d[i]};
    }
    for (int k = 0; k < starts.length; k++) {
      int a = (int) (axes == null ? k : (axes[k] < 0 ? axes[k] + d.length : axes[k]));
      b[a] = ShapeMath.slice(d[a], starts[k], ends[k], steps == null ? 1 : steps[k]);
    }
    long[] outDims = new long[d.length];
    for (int i = 0; i < d.length; i++) {
      outDims[i] = b[i][2];
    }
    List<Integer> sel = new ArrayList<>();
    int total = (int) Tensors.count(outDims);
    for (int f = 0; f < total; f++) {
      long rem = f;
      long src = 0;
      long stride = 1;
      long[] coord = new long[d.length];
      for (int i = d.length - 1; i >= 0; i--) {
        coord[i] = rem % outDims[i];
        rem /= outDims[i];
      }
      for (int i = d.length - 1; i >= 0; i--) {
        src += (b[i][0] + coord[i] * b[i][1]) * stride;
        stride *= d[i];
      }
      sel.add((int) src);
    }
    return Elementwise.select(data, outDims, sel);
  }

  private static KnownValue transpose(KnownValue v, long[] perm) {
    long[] d = v.dims();
    int r = d.length;
    long[] p = perm;
    if (p == null) {
      p = new long[r];
      for (int i = 0; i < r; i++) {
        p[i] = r - 1 - i;
      }
    }
    long[] outDims = new long[r];
    long[] inStrides = new long[r];
    for (int i = r - 1, st = 1; i >= 0; i--) {
      inStrides[i] = st;
      st *= (int) d[i];
    }
    for (int i = 0; i < r; i++) {
      outDims[i] = d[(int) p[i]];
    }
    List<Integer> sel = new ArrayList<>();
    int total = (int) Tensors.count(outDims);
    for (int f = 0; f < total; f++) {
      long rem = f;
      long src = 0;
      for (int i = r - 1; i >= 0; i--) {
        src += (rem % outDims[i]) * inStrides[(int) p[i]];
        rem /= outDims[i];
      }
      sel.add((int) src);
    }
    return Elementwise.select(v, outDims, sel);
  }

  private static KnownValue constantOfShape(NodeView n, KnownValue shape) {
    long[] dims = shape.longs();
    if (Tensors.count(dims) > MAX_ELEMENTS) {
      return null;
    }
    KnownValue fill = n.tensor("value").map(KnownValue::of)
        .orElse(KnownValue.ofReals(Tensors.FLOAT, new long[] {1}, new double[] {0}));
    int count = (int) Tensors.count(dims);
    List<Integer> sel = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sel.add(0);
    }
    return Elementwise.select(fill, dims, sel);
  }

  private static KnownValue range(KnownValue start, KnownValue limit, KnownValue delta) {
    double s = start.real(0);
    double l = limit.real(0);
    double d = delta.real(0);
    int count = (int) Math.max(0, Math.ceil((l - s) / d));
    double[] r = new double[count];
    for (int i = 0; i < count; i++) {
      r[i] = s + i * d;
    }
    if (start.isInteger()) {
      return KnownValue.ofLongs(start.elemType(), new long[] {count}, Arrays.stream(r).mapToLong(v -> (long) v).toArray());
    }
    return KnownValue.ofReals(start.elemType(), new long[] {count}, r);
  }

  static TensorType typeOf(KnownValue v) {
    return new TensorType(v.elemType(), Shape.of(v.dims()));
  }
}
