package dev.robustsynth.autodiff.ops;

import dev.robustsynth.autodiff.emit.GraphBuilder;
import dev.robustsynth.autodiff.graph.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Numpy-style broadcasting with the symbolic batch: {@code N} against 1 gives {@code N},
 * {@code N} against {@code N} gives {@code N}, {@code N} against any other number is refused
 * (the compiler cannot know they agree). Broadcast axes are computed here, at compile time, so the
 * emitted gradient needs no run-time shape logic.
 */
public final class Broadcast {
  private Broadcast() {}

  /** The broadcast of two shapes, or empty when they are incompatible. */
  public static Optional<Shape> shapes(Shape a, Shape b) {
    int r = Math.max(a.rank(), b.rank());
    long[] out = new long[r];
    for (int i = 0; i < r; i++) {
      int ia = i - (r - a.rank());
      int ib = i - (r - b.rank());
      long da = ia >= 0 ? a.dim(ia) : 1;
      long db = ib >= 0 ? b.dim(ib) : 1;
      if (da == db) {
        out[i] = da;
      } else if (da == 1) {
        out[i] = db;
      } else if (db == 1) {
        out[i] = da;
      } else {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(Shape.of(out));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** Axes of {@code out} that are summed to bring a gradient of shape {@code out} back to {@code in}. */
  public static long[] reducedAxes(Shape in, Shape out) {
    List<Long> axes = new ArrayList<>();
    int lead = out.rank() - in.rank();
    for (int i = 0; i < out.rank(); i++) {
      if (i < lead || (in.dim(i - lead) == 1 && out.dim(i) != 1)) {
        axes.add((long) i);
      }
    }
    return axes.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * Sums a gradient {@code g} of shape {@code out} down to shape {@code in}: ReduceSum over the
   * broadcast axes (never with empty axes), then Reshape when the ranks differ.
   */
  public static String unbroadcast(GraphBuilder b, String g, Shape out, Shape in, String hint) {
    long[] axes = reducedAxes(in, out);
    if (axes.length == 0) {
      return g;
    }
    String r = b.reduceSum(g, axes, true, hint + "/sum");
    return out.rank() == in.rank() ? r : b.reshape(r, in, hint);
  }
}
