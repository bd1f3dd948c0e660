package dev.robustsynth.autodiff.ops;

import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.graph.NodeView;
import dev.robustsynth.autodiff.graph.Shape;
import java.util.Arrays;

/**
 * Sliding-window geometry of Conv and the pools, per spatial axis, with auto_pad resolved to
 * explicit pads (SAME_UPPER puts the extra pad at the end) and PyTorch's ceil rule (a window that
 * would start inside the right padding is dropped, as ORT's kernels do).
 *
 * @param in input spatial sizes
 * @param kernel kernel sizes
 * @param strides strides
 * @param dilations dilations
 * @param begin pads at the start of each axis
 * @param end pads at the end of each axis
 * @param out output spatial sizes
 * @param ceil ceil_mode of a pool
 */
record Window(long[] in, long[] kernel, long[] strides, long[] dilations, long[] begin, long[] end, long[] out,
    boolean ceil) {

  /** Geometry of a node whose input 0 is [N, C, spatial…]. */
  static Window of(NodeView n, long[] kernel, boolean ceil) throws CompileException {
    Shape x = n.shape(0);
    int sp = x.rank() - 2;
    if (sp < 1) {
      throw n.error("input " + x + " has no spatial axes");
    }
    if (kernel.length != sp) {
      throw n.error("kernel_shape " + Arrays.toString(kernel) + " does not match input " + x);
    }
    long[] in = Arrays.copyOfRange(x.dims(), 2, x.rank());
    for (long d : in) {
      if (d == Shape.N) {
        throw n.error("a spatial axis is the batch axis");
      }
    }
    long[] s = n.ints("strides", ones(sp));
    long[] d = n.ints("dilations", ones(sp));
    long[] pads = n.ints("pads", new long[2 * sp]);
    if (s.length != sp || d.length != sp || pads.length != 2 * sp) {
      throw n.error("strides, dilations or pads do not match " + sp + " spatial axes");
    }
    long[] b = Arrays.copyOfRange(pads, 0, sp);
    long[] e = Arrays.copyOfRange(pads, sp, 2 * sp);
    String auto = n.s("auto_pad", "NOTSET");
    long[] out = new long[sp];
    for (int i = 0; i < sp; i++) {
      long reach = d[i] * (kernel[i] - 1) + 1;
      switch (auto) {
        case "NOTSET" -> { }
        case "VALID" -> {
          b[i] = 0;
          e[i] = 0;
        }
        case "SAME_UPPER", "SAME_LOWER" -> {
          long o = (in[i] + s[i] - 1) / s[i];
          long total = Math.max(0, (o - 1) * s[i] + reach - in[i]);
          long small = total / 2;
          b[i] = auto.equals("SAME_UPPER") ? small : total - small;
          e[i] = total - b[i];
        }
        default -> throw n.error("unknown auto_pad '" + auto + "'");
      }
      long span = in[i] + b[i] + e[i] - reach;
      if (span < 0) {
        throw n.error("window larger than the padded input on spatial axis " + i);
      }
      out[i] = (ceil ? (span + s[i] - 1) / s[i] : span / s[i]) + 1;
      if (ceil && (out[i] - 1) * s[i] >= in[i] + b[i]) {
        out[i]--;
      }
    }
    return new Window(in, kernel, s, d, b, e, out, ceil);
  }

  /**
   * Pads that give this geometry's output sizes with ceil_mode 0, or empty when none do. ONNX shape
   * inference (pool schemas up to opset 21) ignores the ceil rule that ORT's kernels apply, so an
   * emitted ceil_mode=1 can make ORT's static shapes disagree with ours. In ceil mode the end pad
   * grows (or shrinks) to exactly cover the last window, which starts inside the input, so it
   * stays below the window reach (ORT requires pads smaller than the kernel).
   */
  java.util.Optional<long[]> floorPads() {
    long[] p = pads();
    if (!ceil) {
      return java.util.Optional.of(p);
    }
    for (int i = 0; i < rank(); i++) {
      long reach = dilations[i] * (kernel[i] - 1) + 1;
      long e = Math.max(0, (out[i] - 1) * strides[i] + reach - in[i] - begin[i]);
      if ((in[i] + begin[i] + e - reach) / strides[i] + 1 != out[i] || e >= reach) {
        return java.util.Optional.empty();
      }
      p[rank() + i] = e;
    }
    return java.util.Optional.of(p);
  }

  static long[] ones(int n) {
    long[] r = new long[n];
    Arrays.fill(r, 1);
    return r;
  }

  int rank() {
    return in.length;
  }

  long[] pads() {
    long[] p = Arrays.copyOf(begin, 2 * begin.length);
    System.arraycopy(end, 0, p, begin.length, end.length);
    return p;
  }

  /** Output shape for a node whose input shape is {@code x} and output channel count is {@code c}. */
  Shape outShape(Shape x, long c) {
    long[] o = new long[2 + out.length];
    o[0] = x.dim(0);
    o[1] = c;
    System.arraycopy(out, 0, o, 2, out.length);
    return Shape.of(o);
  }

  boolean unitStrides() {
    return Arrays.stream(strides).allMatch(v -> v == 1);
  }

  /** True when some input position lies in more than one window. */
  boolean overlapping() {
    for (int i = 0; i < rank(); i++) {
      if (dilations[i] * (kernel[i] - 1) + 1 > strides[i]) {
        return true;
      }
    }
    return false;
  }
}
