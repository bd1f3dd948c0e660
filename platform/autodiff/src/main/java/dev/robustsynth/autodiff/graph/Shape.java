package dev.robustsynth.autodiff.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A tensor shape whose dimensions are all known at compile time except the batch dimension,
 * which is the symbol {@link #N}. At most one dimension may be {@code N}: the compiler refuses
 * graphs that merge the batch with another axis.
 */
public final class Shape {
  /** The symbolic batch dimension. */
  public static final long N = -1L;

  private final long[] dims;

  private Shape(long[] dims) {
    int batch = 0;
    for (long d : dims) {
      if (d == N) {
        batch++;
      } else if (d < 0) {
        throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
      }
    }
    if (batch > 1) {
      throw new IllegalArgumentException("more than one batch dimension in " + Arrays.toString(dims));
    }
    this.dims = dims;
  }

  /** A shape from its dimensions, {@link #N} marking the batch. */
  public static Shape of(long... dims) {
    return new Shape(dims.clone());
  }

  /** A shape from a list of dimensions. */
  public static Shape of(List<Long> dims) {
    return new Shape(dims.stream().mapToLong(Long::longValue).toArray());
  }

  /** The scalar shape. */
  public static Shape scalar() {
    return new Shape(new long[0]);
  }

  public int rank() {
    return dims.length;
  }

  /** Dimension {@code i}; negative {@code i} counts from the end. May be {@link #N}. */
  public long dim(int i) {
    return dims[i < 0 ? i + dims.length : i];
  }

  public boolean isBatch(int i) {
    return dim(i) == N;
  }

  public boolean hasBatch() {
    return indexOfBatch() >= 0;
  }

  /** Position of the batch dimension, or -1. */
  public int indexOfBatch() {
    for (int i = 0; i < dims.length; i++) {
      if (dims[i] == N) {
        return i;
      }
    }
    return -1;
  }

  /** Product of all dimensions except the batch one. */
  public long sizeWithoutBatch() {
    long p = 1;
    for (long d : dims) {
      if (d != N) {
        p *= d;
      }
    }
    return p;
  }

  /** Product of all dimensions; the shape must not have a batch dimension. */
  public long size() {
    if (hasBatch()) {
      throw new IllegalStateException("size of a batch-dependent shape " + this);
    }
    return sizeWithoutBatch();
  }

  public long[] dims() {
    return dims.clone();
  }

  /** The dimensions with the batch written as -1: a valid static target for Reshape. */
  public long[] reshapeTarget() {
    return dims.clone();
  }

  /** The dimensions with the batch written as 1: a valid static target for Expand. */
  public long[] expandTarget() {
    long[] r = dims.clone();
    for (int i = 0; i < r.length; i++) {
      if (r[i] == N) {
        r[i] = 1;
      }
    }
    return r;
  }

  /** A copy with dimension {@code i} replaced. */
  public Shape with(int i, long d) {
    long[] r = dims.clone();
    r[i < 0 ? i + r.length : i] = d;
    return new Shape(r);
  }

  /** The per-example shape: the dimensions after a leading batch dimension. */
  public List<Long> perExample() {
    List<Long> r = new ArrayList<>();
    for (int i = 1; i < dims.length; i++) {
      r.add(dims[i]);
    }
    return List.copyOf(r);
  }

  /** Normalises a possibly negative axis against this rank. */
  public int axis(long axis) {
    long a = axis < 0 ? axis + dims.length : axis;
    if (a < 0 || a >= dims.length) {
      throw new IllegalArgumentException("axis " + axis + " out of range for rank " + dims.length);
    }
    return (int) a;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Shape s && Arrays.equals(dims, s.dims);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dims);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < dims.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(dims[i] == N ? "N" : Long.toString(dims[i]));
    }
    return sb.append(']').toString();
  }
}
