package dev.robustsynth.autodiff.compile;

import dev.robustsynth.autodiff.graph.KnownValue;
import dev.robustsynth.autodiff.graph.Tensors;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;

/** Element-wise evaluation of known values with numpy broadcasting, integers affine in N. */
final class Elementwise {
  private Elementwise() {}

  static KnownValue unary(KnownValue v, LongUnaryOperator ints, DoubleUnaryOperator reals) {
    int n = v.size();
    if (v.isInteger()) {
      if (ints == null) {
        return null;
      }
      long[] val = new long[n];
      long[] coef = new long[n];
      for (int i = 0; i < n; i++) {
        if (v.coef(i) != 0) {
          if (ints.applyAsLong(1) != -1 || ints.applyAsLong(0) != 0) {
            return null;
          }
          coef[i] = -v.coef(i);
        }
        val[i] = ints.applyAsLong(v.value(i));
      }
      return KnownValue.ofAffine(v.elemType(), v.dims(), val, coef);
    }
    if (reals == null) {
      return null;
    }
    double[] r = v.reals();
    for (int i = 0; i < n; i++) {
      r[i] = reals.applyAsDouble(r[i]);
    }
    return KnownValue.ofReals(v.elemType(), v.dims(), r);
  }

  /** Add, Sub, Mul, Div; null when the result would not be affine in N. */
  static KnownValue arith(String op, KnownValue a, KnownValue b) {
    long[] dims = broadcast(a.dims(), b.dims());
    int n = (int) Tensors.count(dims);
    if (a.isInteger() && b.isInteger()) {
      long[] val = new long[n];
      long[] coef = new long[n];
      for (int i = 0; i < n; i++) {
        int ia = index(dims, i, a.dims());
        int ib = index(dims, i, b.dims());
        long va = a.value(ia);
        long ca = a.coef(ia);
        long vb = b.value(ib);
        long cb = b.coef(ib);
        switch (op) {
          case "Add" -> {
            val[i] = va + vb;
            coef[i] = ca + cb;
          }
          case "Sub" -> {
            val[i] = va - vb;
            coef[i] = ca - cb;
          }
          case "Mul" -> {
            if (ca != 0 && cb != 0) {
              return null;
            }
            val[i] = va * vb;
            coef[i] = ca * vb + cb * va;
          }
          default -> {
            if (cb != 0 || vb == 0 || (ca != 0 && (ca % vb != 0 || va % vb != 0))) {
              return null;
            }
            val[i] = va / vb;
            coef[i] = ca / vb;
          }
        }
      }
      return KnownValue.ofAffine(a.elemType(), dims, val, coef);
    }
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      double x = a.real(index(dims, i, a.dims()));
      double y = b.real(index(dims, i, b.dims()));
      r[i] = switch (op) {
        case "Add" -> x + y;
        case "Sub" -> x - y;
        case "Mul" -> x * y;
        default -> x / y;
      };
      if (a.elemType() == Tensors.FLOAT) {
        r[i] = (float) r[i];
      }
    }
    return KnownValue.ofReals(a.elemType(), dims, r);
  }

  static KnownValue compare(String op, KnownValue a, KnownValue b) {
    if (a.dependsOnBatch() || b.dependsOnBatch()) {
      return null;
    }
    long[] dims = broadcast(a.dims(), b.dims());
    int n = (int) Tensors.count(dims);
    long[] r = new long[n];
    for (int i = 0; i < n; i++) {
      double x = a.real(index(dims, i, a.dims()));
      double y = b.real(index(dims, i, b.dims()));
      boolean t = switch (op) {
        case "Equal" -> x == y;
        case "Less" -> x < y;
        default -> x > y;
      };
      r[i] = t ? 1 : 0;
    }
    return KnownValue.ofLongs(Tensors.BOOL, dims, r);
  }

  static KnownValue where(KnownValue cond, KnownValue x, KnownValue y) {
    long[] dims = broadcast(broadcast(cond.dims(), x.dims()), y.dims());
    int n = (int) Tensors.count(dims);
    List<Integer> sel = new java.util.ArrayList<>();
    List<Integer> from = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean t = cond.longAt(index(dims, i, cond.dims())) != 0;
      from.add(t ? 0 : 1);
      sel.add(index(dims, i, (t ? x : y).dims()));
    }
    return gatherFrom(List.of(x, y), from, sel, dims);
  }

  /** A value whose element i is element {@code sel[i]} of {@code v}. */
  static KnownValue select(KnownValue v, long[] dims, List<Integer> sel) {
    return gatherFrom(List.of(v), null, sel, dims);
  }

  /** A value whose element i is element {@code sel[i]} of {@code parts[from[i]]} (from null: part 0). */
  static KnownValue gatherFrom(List<KnownValue> parts, List<Integer> from, List<Integer> sel, long[] dims) {
    KnownValue first = parts.get(0);
    int n = sel.size();
    if (first.isInteger()) {
      long[] val = new long[n];
      long[] coef = new long[n];
      for (int i = 0; i < n; i++) {
        KnownValue p = parts.get(from == null ? 0 : from.get(i));
        val[i] = p.value(sel.get(i));
        coef[i] = p.coef(sel.get(i));
      }
      return KnownValue.ofAffine(first.elemType(), dims, val, coef);
    }
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = parts.get(from == null ? 0 : from.get(i)).real(sel.get(i));
    }
    return KnownValue.ofReals(first.elemType(), dims, r);
  }

  static long[] broadcast(long[] a, long[] b) {
    int r = Math.max(a.length, b.length);
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      long da = i - (r - a.length) >= 0 ? a[i - (r - a.length)] : 1;
      long db = i - (r - b.length) >= 0 ? b[i - (r - b.length)] : 1;
      if (da != db && da != 1 && db != 1) {
        throw new IllegalArgumentException("cannot broadcast " + java.util.Arrays.toString(a) + " with "
            + java.util.Arrays.toString(b));
      }
      out[i] = da == 1 ? db : da;
    }
    return out;
  }

  /** Flat index into a tensor of {@code inDims} broadcast to {@code outDims}, for flat output index {@code flat}. */
  static int index(long[] outDims, int flat, long[] inDims) {
    long rem = flat;
    long idx = 0;
    long stride = 1;
    int off = outDims.length - inDims.length;
    for (int i = outDims.length - 1; i >= 0; i--) {
      long coord = rem % outDims[i];
      rem /= outDims[i];
      int j = i - off;
      if (j >= 0) {
        if (inDims[j] != 1) {
          idx += coord * stride;
        }
        stride *= inDims[j];
      }
    }
    return (int) idx;
  }
}
