package dev.robustsynth.autodiff.graph;

import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.Arrays;

/**
 * A tensor whose value the compiler knows: a constant, or the result of folding a shape
 * computation. Integer elements are affine in the batch size, {@code value + coef·N}, so that
 * {@code Shape(x)[0]} and the Reshape targets built from it stay exact; float elements are plain
 * doubles. The shape of a known value is always concrete.
 */
public final class KnownValue {
  private final int elemType;
  private final long[] dims;
  private final long[] ints;
  private final long[] coefs;
  private final double[] reals;

  private KnownValue(int elemType, long[] dims, long[] ints, long[] coefs, double[] reals) {
    this.elemType = elemType;
    this.dims = dims;
    this.ints = ints;
    this.coefs = coefs;
    this.reals = reals;
    long n = Tensors.count(dims);
    long have = ints != null ? ints.length : reals.length;
    if (n != have) {
      throw new IllegalArgumentException(
          "value of shape " + Arrays.toString(dims) + " has " + have + " elements");
    }
  }

  /** Integer (or bool) value without batch dependence. */
  public static KnownValue ofLongs(int elemType, long[] dims, long[] values) {
    return new KnownValue(elemType, dims.clone(), values.clone(), new long[values.length], null);
  }

  /** Integer value {@code values[i] + coefs[i]·N}. */
  public static KnownValue ofAffine(int elemType, long[] dims, long[] values, long[] coefs) {
    return new KnownValue(elemType, dims.clone(), values.clone(), coefs.clone(), null);
  }

  /** Float or double value. */
  public static KnownValue ofReals(int elemType, long[] dims, double[] values) {
    return new KnownValue(elemType, dims.clone(), null, null, values.clone());
  }

  /** A 1-D int64 vector. */
  public static KnownValue int64s(long... values) {
    return ofLongs(Tensors.INT64, new long[] {values.length}, values);
  }

  /** Decodes a tensor proto. */
  public static KnownValue of(TensorProto t) {
    long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    if (Tensors.isInteger(t.getDataType())) {
      return ofLongs(t.getDataType(), dims, Tensors.longs(t));
    }
    return ofReals(t.getDataType(), dims, Tensors.reals(t));
  }

  public int elemType() {
    return elemType;
  }

  public long[] dims() {
    return dims.clone();
  }

  public int rank() {
    return dims.length;
  }

  public int size() {
    return ints != null ? ints.length : reals.length;
  }

  public boolean isInteger() {
    return ints != null;
  }

  /** True when some element depends on the batch size. */
  public boolean dependsOnBatch() {
    if (coefs == null) {
      return false;
    }
    for (long c : coefs) {
      if (c != 0) {
        return true;
      }
    }
    return false;
  }

  /** Constant part of integer element {@code i}. */
  public long value(int i) {
    return ints[i];
  }

  /** Batch coefficient of integer element {@code i}. */
  public long coef(int i) {
    return coefs[i];
  }

  /** Element {@code i} as a double; integer elements must not depend on the batch. */
  public double real(int i) {
    if (reals != null) {
      return reals[i];
    }
    requireBatchFree();
    return ints[i];
  }

  /** Integer element {@code i}; it must not depend on the batch. */
  public long longAt(int i) {
    if (ints == null) {
      double r = reals[i];
      if (r != Math.rint(r)) {
        throw new IllegalStateException("element " + r + " is not an integer");
      }
      return (long) r;
    }
    if (coefs[i] != 0) {
      throw new IllegalStateException("element " + i + " depends on the batch size");
    }
    return ints[i];
  }

  /** All elements as longs; none may depend on the batch. */
  public long[] longs() {
    long[] r = new long[size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = longAt(i);
    }
    return r;
  }

  /** All elements as doubles. */
  public double[] reals() {
    double[] r = new double[size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = real(i);
    }
    return r;
  }

  private void requireBatchFree() {
    if (dependsOnBatch()) {
      throw new IllegalStateException("value depends on the batch size");
    }
  }

  /** A copy with another shape (same elements). */
  public KnownValue reshape(long[] newDims) {
    return new KnownValue(elemType, newDims.clone(), ints, coefs, reals);
  }

  /** Encodes the value; it must not depend on the batch. */
  public TensorProto toTensor(String name) {
    if (ints != null) {
      requireBatchFree();
      return Tensors.ofLongs(name, elemType, dims, ints);
    }
    return Tensors.ofReals(name, elemType, dims, reals);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(Tensors.typeName(elemType)).append(Arrays.toString(dims)).append('{');
    int n = Math.min(size(), 16);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(',');
      }
      if (ints != null) {
        sb.append(coefs[i] == 0 ? Long.toString(ints[i])
            : (coefs[i] == 1 ? "" : coefs[i] + "*") + "N" + (ints[i] == 0 ? "" : "+" + ints[i]));
      } else {
        sb.append(reals[i]);
      }
    }
    return sb.append(size() > n ? ",…}" : "}").toString();
  }
}
