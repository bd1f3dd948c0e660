package dev.robustsynth.autodiff.ops;

import static dev.robustsynth.autodiff.ops.ElementwiseRules.grads;
import static dev.robustsynth.autodiff.ops.ElementwiseRules.h;

import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.emit.Attrs;
import dev.robustsynth.autodiff.emit.EmitContext;
import dev.robustsynth.autodiff.emit.GraphBuilder;
import dev.robustsynth.autodiff.graph.KnownValue;
import dev.robustsynth.autodiff.graph.NodeView;
import dev.robustsynth.autodiff.graph.Shape;
import dev.robustsynth.autodiff.graph.ShapeMath;
import dev.robustsynth.autodiff.graph.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Data-movement operators. Every target shape is resolved at compile time and emitted as a
 * static constant (batch written -1), so neither the forward nor the backward graph needs Shape
 * ops at run time. Gradients: Reshape back for Flatten/Reshape/Squeeze/Unsqueeze, the inverse
 * permutation for Transpose, static Slices for Concat, Pad (negative pads crop) for Slice and Pad.
 */
final class ShapeRules {
  private ShapeRules() {}

  static List<OpRule> all() {
    VjpRule reshapeBack = (n, c) -> grads(n, c.b().reshape(c.dy(), n.shape(0), h(c, "")));
    return List.of(
        OpRule.of("Flatten", ShapeRules::flattenShape, reshapeBack),
        new OpRule("Reshape", ShapeRules::reshapeShape, ShapeRules::reshapeForward, reshapeBack),
        OpRule.of("Transpose", ShapeRules::transposeShape, ShapeRules::transpose),
        new OpRule("Squeeze", ShapeRules::squeezeShape, ShapeRules::squeezeForward, reshapeBack),
        new OpRule("Unsqueeze", ShapeRules::unsqueezeShape, ShapeRules::unsqueezeForward, reshapeBack),
        OpRule.of("Concat", ShapeRules::concatShape, ShapeRules::concat),
        new OpRule("Slice", ShapeRules::sliceShape, ShapeRules::sliceForward, ShapeRules::slice),
        new OpRule("Pad", ShapeRules::padShape, ShapeRules::padForward, ShapeRules::pad));
  }

  private static List<TensorType> out(NodeView n, Shape s) throws CompileException {
    return List.of(new TensorType(n.in(0).elemType(), s));
  }

  private static List<TensorType> flattenShape(NodeView n) throws CompileException {
    Shape in = n.shape(0);
    int axis = (int) (n.i("axis", 1) < 0 ? n.i("axis", 1) + in.rank() : n.i("axis", 1));
    long[] head = Arrays.copyOfRange(in.dims(), 0, axis);
    long[] tail = Arrays.copyOfRange(in.dims(), axis, in.rank());
    return out(n, Shape.of(merged(n, head), merged(n, tail)));
  }

  private static long merged(NodeView n, long[] dims) throws CompileException {
    Shape s = Shape.of(dims);
    if (!s.hasBatch()) {
      return s.size();
    }
    if (s.sizeWithoutBatch() != 1) {
      throw n.error("flattening " + s + " would merge the batch with other axes");
    }
    return Shape.N;
  }

  private static List<TensorType> reshapeShape(NodeView n) throws CompileException {
    KnownValue t = n.constant(1, "the target shape");
    long[] values = new long[t.size()];
    long[] coefs = new long[t.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = t.value(i);
      coefs[i] = t.coef(i);
    }
    try {
      return out(n, ShapeMath.reshape(n.shape(0), values, coefs, n.i("allowzero", 0) != 0));
    } catch (IllegalArgumentException e) {
      throw n.error("cannot reshape " + n.shape(0) + " to " + t + ": " + e.getMessage());
    }
  }

  private static void reshapeForward(NodeView n, EmitContext c) throws CompileException {
    Shape s = reshapeShape(n).get(0).shape();
    c.b().node("Reshape", List.of(c.x(0), c.b().int64s(s.reshapeTarget())), List.of(c.y(0)), List.of());
  }

  private static long[] perm(NodeView n, int rank) {
    long[] p = n.ints("perm", null);
    if (p == null) {
      p = new long[rank];
      for (int i = 0; i < rank; i++) {
        p[i] = rank - 1 - i;
      }
    }
    return p;
  }

  private static List<TensorType> transposeShape(NodeView n) throws CompileException {
    Shape in = n.shape(0);
    long[] p = perm(n, in.rank());
    if (p.length != in.rank()) {
      throw n.error("perm " + Arrays.toString(p) + " does not match rank " + in.rank());
    }
    long[] o = new long[p.length];
    for (int i = 0; i < p.length; i++) {
      o[i] = in.dim((int) p[i]);
    }
    return out(n, Shape.of(o));
  }

  private static List<String> transpose(NodeView n, EmitContext c) throws CompileException {
    long[] p = perm(n, n.shape(0).rank());
    long[] inv = new long[p.length];
    for (int i = 0; i < p.length; i++) {
      inv[(int) p[i]] = i;
    }
    return grads(n, c.b().transpose(c.dy(), inv, h(c, "")));
  }

  /** Axes from the attribute (before opset 13) or the optional second input. */
  private static long[] axes(NodeView n, int rank) throws CompileException {
    long[] a = n.opset() < 13 ? n.ints("axes", null) : (n.has(1) ? n.constantLongs(1, "axes") : null);
    if (a == null) {
      return null;
    }
    long[] r = new long[a.length];
    for (int i = 0; i < a.length; i++) {
      r[i] = a[i] < 0 ? a[i] + rank : a[i];
      if (r[i] < 0 || r[i] >= rank) {
        throw n.error("axis " + a[i] + " out of range for rank " + rank);
      }
    }
    Arrays.sort(r);
    return r;
  }

  private static long[] squeezeAxes(NodeView n) throws CompileException {
    Shape in = n.shape(0);
    long[] a = axes(n, in.rank());
    if (a == null) {
      a = java.util.stream.IntStream.range(0, in.rank()).filter(i -> in.dim(i) == 1).asLongStream().toArray();
    }
    for (long i : a) {
      if (in.dim((int) i) != 1) {
        throw n.error("cannot squeeze axis " + i + " of " + in);
      }
    }
    return a;
  }

  private static List<TensorType> squeezeShape(NodeView n) throws CompileException {
    Shape in = n.shape(0);
    long[] a = squeezeAxes(n);
    List<Long> o = new ArrayList<>();
    for (int i = 0; i < in.rank(); i++) {
      if (Arrays.binarySearch(a, i) < 0) {
        o.add(in.dim(i));
      }
    }
    return out(n, Shape.of(o));
  }

  private static void squeezeForward(NodeView n, EmitContext c) throws CompileException {
    c.b().node("Squeeze", List.of(c.x(0), c.b().int64s(squeezeAxes(n))), List.of(c.y(0)), List.of());
  }

  private static List<TensorType> unsqueezeShape(NodeView n) throws CompileException {
    Shape in = n.shape(0);
    long[] raw = n.opset() < 13 ? n.ints("axes", null) : n.constantLongs(1, "axes");
    if (raw == null) {
      throw n.error("Unsqueeze needs axes");
    }
    long[] a = axes(n, in.rank() + raw.length);
    long[] o = new long[in.rank() + a.length];
    for (int i = 0, j = 0; i < o.length; i++) {
      o[i] = Arrays.binarySearch(a, i) >= 0 ? 1 : in.dim(j++);
    }
    return out(n, Shape.of(o));
  }

  private static void unsqueezeForward(NodeView n, EmitContext c) throws CompileException {
    long[] a = axes(n, n.shape(0).rank() + (n.opset() < 13 ? n.ints("axes", new long[0]).length
        : n.constantLongs(1, "axes").length));
    c.b().node("Unsqueeze", List.of(c.x(0), c.b().int64s(a)), List.of(c.y(0)), List.of());
  }

  private static int concatAxis(NodeView n) throws CompileException {
    return n.shape(0).axis(n.i("axis", 0));
  }

  private static List<TensorType> concatShape(NodeView n) throws CompileException {
    Shape first = n.shape(0);
    int axis = concatAxis(n);
    long total = 0;
    for (int i = 0; i < n.inputCount(); i++) {
      Shape s = n.shape(i);
      if (s.rank() != first.rank()) {
        throw n.error("inputs of different ranks: " + first + ", " + s);
      }
      for (int d = 0; d < s.rank(); d++) {
        if (d != axis && s.dim(d) != first.dim(d)) {
          throw n.error("inputs disagree outside the concatenation axis: " + first + ", " + s);
        }
      }
      if (s.isBatch(axis)) {
        throw n.error("concatenation along the batch axis is not supported");
      }
      total += s.dim(axis);
    }
    return out(n, first.with(axis, total));
  }

  private static List<String> concat(NodeView n, EmitContext c) throws CompileException {
    int axis = concatAxis(n);
    List<String> r = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < n.inputCount(); i++) {
      long len = n.shape(i).dim(axis);
      r.add(n.varied(i) ? c.b().slice(c.dy(), new long[] {offset}, new long[] {offset + len},
          new long[] {axis}, h(c, "part" + i)) : null);
      offset += len;
    }
    return r;
  }

  /** Per data axis: {start, step, count}, or null where the axis is not sliced. */
  private static long[][] sliceBounds(NodeView n) throws CompileException {
    Shape in = n.shape(0);
    long[] starts;
    long[] ends;
    long[] axes;
    long[] steps;
    if (n.opset() < 10) {
      starts = n.ints("starts", new long[0]);
      ends = n.ints("ends", new long[0]);
      axes = n.ints("axes", null);
      steps = null;
    } else {
      starts = n.constantLongs(1, "starts");
      ends = n.constantLongs(2, "ends");
      axes = n.has(3) ? n.constantLongs(3, "axes") : null;
      steps = n.has(4) ? n.constantLongs(4, "steps") : null;
    }
    long[][] r = new long[in.rank()][];
    for (int k = 0; k < starts.length; k++) {
      int axis = in.axis(axes == null ? k : axes[k]);
      long step = steps == null ? 1 : steps[k];
      if (in.isBatch(axis)) {
        if (step != 1 || starts[k] != 0 || ends[k] < Integer.MAX_VALUE) {
          throw n.error("slicing the batch axis is not supported");
        }
        continue;
      }
      try {
        r[axis] = ShapeMath.slice(in.dim(axis), starts[k], ends[k], step);
      } catch (IllegalArgumentException e) {
        throw n.error(e.getMessage());
      }
    }
    return r;
  }

  private static List<TensorType> sliceShape(NodeView n) throws CompileException {
    Shape s = n.shape(0);
    long[][] b = sliceBounds(n);
    for (int a = 0; a < b.length; a++) {
      if (b[a] != null) {
        s = s.with(a, b[a][2]);
      }
    }
    return out(n, s);
  }

  private static void sliceForward(NodeView n, EmitContext c) throws CompileException {
    long[][] b = sliceBounds(n);
    List<long[]> cols = new ArrayList<>();
    for (int a = 0; a < b.length; a++) {
      if (b[a] != null) {
        long start = b[a][0];
        long step = b[a][1];
        long end = start + step * b[a][2];
        cols.add(new long[] {start, end < 0 ? Long.MIN_VALUE : end, a, step});
      }
    }
    GraphBuilder g = c.b();
    List<String> ins = List.of(c.x(0), g.int64s(col(cols, 0)), g.int64s(col(cols, 1)), g.int64s(col(cols, 2)),
        g.int64s(col(cols, 3)));
    g.node("Slice", ins, List.of(c.y(0)), List.of());
  }

  private static long[] col(List<long[]> rows, int k) {
    return rows.stream().mapToLong(r -> r[k]).toArray();
  }

  private static List<String> slice(NodeView n, EmitContext c) throws CompileException {
    GraphBuilder g = c.b();
    long[][] b = sliceBounds(n);
    Shape in = n.shape(0);
    Shape cur = sliceShape(n).get(0).shape();
    String grad = c.dy();
    long[] pads = new long[2 * in.rank()];
    for (int a = 0; a < in.rank(); a++) {
      if (b[a] == null) {
        continue;
      }
      long start = b[a][0];
      long step = b[a][1];
      long count = b[a][2];
      if (step < 0) {
        grad = g.op("Slice", h(c, "rev"), List.of(grad, g.int64s(-1), g.int64s(Long.MIN_VALUE), g.int64s(a),
            g.int64s(-1)));
        start = start + step * (count - 1);
        step = -step;
      }
      if (step > 1) {
        String u = g.unsqueeze(grad, new long[] {a + 1}, h(c, "u"));
        long[] p = new long[2 * (in.rank() + 1)];
        p[in.rank() + 1 + a + 1] = step - 1;
        String padded = g.pad(u, p, h(c, "spread"));
        cur = cur.with(a, count * step);
        grad = g.reshape(padded, cur, h(c, "interleave"));
      }
      pads[a] = start;
      pads[in.rank() + a] = in.dim(a) - start - cur.dim(a);
    }
    boolean any = Arrays.stream(pads).anyMatch(p -> p != 0);
    return grads(n, any ? g.pad(grad, pads, h(c, "")) : grad);
  }

  /** Full pads (begins then ends) of a Pad node, from attributes or inputs, opsets 2 to 18. */
  private static long[] padAmounts(NodeView n) throws CompileException {
    int rank = n.shape(0).rank();
    long[] p = n.opset() < 11 ? n.ints("pads", null) : n.constantLongs(1, "pads");
    if (n.has(3)) {
      long[] axes = n.constantLongs(3, "axes");
      long[] full = new long[2 * rank];
      for (int k = 0; k < axes.length; k++) {
        int a = n.shape(0).axis(axes[k]);
        full[a] = p[k];
        full[rank + a] = p[axes.length + k];
      }
      p = full;
    }
    if (p == null || p.length != 2 * rank) {
      throw n.error("pads must have 2×rank = " + 2 * rank + " entries");
    }
    return p;
  }

  private static List<TensorType> padShape(NodeView n) throws CompileException {
    Shape in = n.shape(0);
    long[] p = padAmounts(n);
    Shape s = in;
    for (int a = 0; a < in.rank(); a++) {
      if (in.isBatch(a)) {
        if (p[a] != 0 || p[in.rank() + a] != 0) {
          throw n.error("padding the batch axis is not supported");
        }
        continue;
      }
      s = s.with(a, in.dim(a) + p[a] + p[in.rank() + a]);
    }
    return out(n, s);
  }

  private static void padForward(NodeView n, EmitContext c) throws CompileException {
    GraphBuilder g = c.b();
    List<String> ins = new ArrayList<>(List.of(c.x(0), g.int64s(padAmounts(n))));
    if (n.opset() < 11 && n.f("value", 0f) != 0f) {
      ins.add(g.scalar(n.f("value", 0f)));
    } else if (n.opset() >= 11 && n.has(2)) {
      ins.add(c.x(2));
    }
    g.node("Pad", ins, List.of(c.y(0)), List.of(Attrs.s("mode", n.s("mode", "constant"))));
  }

  private static List<String> pad(NodeView n, EmitContext c) throws CompileException {
    if (!n.s("mode", "constant").equals("constant")) {
      throw n.error("the gradient of Pad mode '" + n.s("mode", "") + "' is not supported (constant only)");
    }
    long[] p = padAmounts(n);
    long[] neg = Arrays.stream(p).map(v -> -v).toArray();
    return grads(n, c.b().pad(c.dy(), neg, h(c, "")));
  }
}
