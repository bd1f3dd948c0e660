package dev.robustsynth.autodiff.graph;

import java.util.Arrays;

/**
 * Shape arithmetic shared by shape inference and constant folding: Reshape targets with the
 * symbolic batch, and Slice bounds normalised as the ONNX specification does.
 */
public final class ShapeMath {
  private ShapeMath() {}

  /**
   * The output shape of Reshape. Target element {@code i} is {@code values[i] + coefs[i]·N}:
   * 0 copies the input dimension (unless {@code allowzero}), -1 is inferred, N is the batch.
   *
   * @throws IllegalArgumentException with a sentence when the target cannot be resolved
   */
  public static Shape reshape(Shape in, long[] values, long[] coefs, boolean allowzero) {
    long[] out = new long[values.length];
    int infer = -1;
    for (int i = 0; i < values.length; i++) {
      long v = values[i];
      long a = coefs[i];
      if (a == 1 && v == 0) {
        out[i] = Shape.N;
      } else if (a != 0) {
        throw new IllegalArgumentException("target dimension " + i + " is a multiple of the batch size");
      } else if (v == 0 && !allowzero) {
        if (i >= in.rank()) {
          throw new IllegalArgumentException("target dimension " + i + " copies a missing input dimension");
        }
        out[i] = in.dim(i);
      } else if (v == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException("more than one -1 in the target");
        }
        infer = i;
        out[i] = 1;
      } else if (v < 0) {
        throw new IllegalArgumentException("negative target dimension " + v);
      } else {
        out[i] = v;
      }
    }
    boolean inBatch = in.hasBatch();
    long outBatchCount = Arrays.stream(out).filter(d -> d == Shape.N).count();
    if (outBatchCount > 1) {
      throw new IllegalArgumentException("the target has the batch dimension twice");
    }
    boolean outBatch = outBatchCount == 1;
    long p = in.sizeWithoutBatch();
    long q = Shape.of(out).sizeWithoutBatch();
    if (infer >= 0) {
      if (inBatch && !outBatch) {
        if (p != q) {
          throw new IllegalArgumentException("the inferred dimension would merge the batch with other axes");
        }
        out[infer] = Shape.N;
      } else if (!inBatch && outBatch) {
        throw new IllegalArgumentException("the target has a batch dimension the input lacks");
      } else {
        if (q == 0 || p % q != 0) {
          throw new IllegalArgumentException(p + " elements do not divide into " + q);
        }
        out[infer] = p / q;
      }
    } else if (inBatch != outBatch || p != q) {
      throw new IllegalArgumentException("element counts disagree");
    }
    return Shape.of(out);
  }

  /**
   * Normalised bounds of a Slice along one axis of length {@code dim}: {start, step, count},
   * where the selected indices are start, start+step, … (count of them).
   */
  public static long[] slice(long dim, long start, long end, long step) {
    if (step == 0) {
      throw new IllegalArgumentException("slice step 0");
    }
    long s = start < 0 ? start + dim : start;
    long e = end < 0 ? end + dim : end;
    long count;
    if (step > 0) {
      s = clamp(s, 0, dim);
      e = clamp(e, 0, dim);
      count = e > s ? (e - s + step - 1) / step : 0;
    } else {
      s = clamp(s, 0, dim - 1);
      e = clamp(e, -1, dim - 1);
      count = s > e ? (s - e + (-step) - 1) / (-step) : 0;
    }
    return new long[] {s, step, count};
  }

  private static long clamp(long v, long lo, long hi) {
    return Math.max(lo, Math.min(hi, v));
  }
}
