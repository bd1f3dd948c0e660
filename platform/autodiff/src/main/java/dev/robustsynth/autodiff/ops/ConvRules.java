package dev.robustsynth.autodiff.ops;

import static dev.robustsynth.autodiff.ops.ElementwiseRules.h;

import ai.onnx.proto.OnnxMl.AttributeProto;
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

/**
 * Conv with groups (depthwise included), strides, dilations, explicit or automatic pads and bias.
 * The input gradient is a Conv with the flipped, group-transposed kernel when all strides are 1
 * (as fast as the forward conv, also for depthwise), otherwise a ConvTranspose with the forward's
 * explicit pads and {@code output_padding = (H + pb + pe − d(k−1) − 1) mod s}; never auto_pad
 * or output_shape on ConvTranspose.
 */
final class ConvRules {
  private ConvRules() {}

  static List<OpRule> all() {
    return List.of(new OpRule("Conv", ConvRules::shape, ConvRules::forward, ConvRules::vjp));
  }

  private static long[] kernel(NodeView n) throws CompileException {
    Shape w = n.shape(1);
    long[] k = n.ints("kernel_shape", Arrays.copyOfRange(w.dims(), 2, w.rank()));
    if (!Arrays.equals(k, Arrays.copyOfRange(w.dims(), 2, w.rank()))) {
      throw n.error("kernel_shape " + Arrays.toString(k) + " disagrees with the weight " + w);
    }
    return k;
  }

  private static List<TensorType> shape(NodeView n) throws CompileException {
    Shape x = n.shape(0);
    Shape w = n.shape(1);
    long g = n.i("group", 1);
    if (w.rank() != x.rank() || w.hasBatch()) {
      throw n.error("weight " + w + " does not match input " + x);
    }
    if (x.dim(1) != w.dim(1) * g || w.dim(0) % g != 0) {
      throw n.error("input channels " + x.dim(1) + " do not match weight " + w + " with group " + g);
    }
    if (n.has(2) && !n.shape(2).equals(Shape.of(w.dim(0)))) {
      throw n.error("bias " + n.shape(2) + " does not match " + w.dim(0) + " output channels");
    }
    Window win = Window.of(n, kernel(n), false);
    return List.of(new TensorType(n.in(0).elemType(), win.outShape(x, w.dim(0))));
  }

  private static List<AttributeProto> attrs(NodeView n, Window w) {
    return List.of(Attrs.ints("kernel_shape", w.kernel()), Attrs.ints("strides", w.strides()),
        Attrs.ints("dilations", w.dilations()), Attrs.ints("pads", w.pads()), Attrs.i("group", n.i("group", 1)));
  }

  /** Forward Conv with auto_pad resolved to explicit pads. */
  private static void forward(NodeView n, EmitContext c) throws CompileException {
    Window w = Window.of(n, kernel(n), false);
    List<String> ins = new ArrayList<>(List.of(c.x(0), c.x(1)));
    if (n.has(2)) {
      ins.add(c.x(2));
    }
    c.b().node("Conv", ins, List.of(c.y(0)), attrs(n, w));
  }

  private static List<String> vjp(NodeView n, EmitContext c) throws CompileException {
    if (n.varied(1) || n.varied(2)) {
      throw n.error("gradients with respect to Conv weights or bias are not supported");
    }
    Window w = Window.of(n, kernel(n), false);
    String dx = flippedConvApplies(w) ? flippedConv(n, c, w) : convTranspose(n, c, w);
    return Arrays.asList(dx, null, null).subList(0, n.inputCount());
  }

  private static boolean flippedConvApplies(Window w) {
    if (!w.unitStrides()) {
      return false;
    }
    for (int i = 0; i < w.rank(); i++) {
      long reach = w.dilations()[i] * (w.kernel()[i] - 1);
      if (reach < w.begin()[i] || reach < w.end()[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Stride 1: Conv(dY, W') with W' = the kernel rotated 180° and, within each group, input and
   * output channels swapped ([M, C/g, k…] → [C, M/g, k…]); pads d(k−1) − p. W' is built from the
   * weight by Reshape/Transpose/Slice nodes on constants, which ORT folds at session creation.
   */
  private static String flippedConv(NodeView n, EmitContext c, Window w) throws CompileException {
    GraphBuilder b = c.b();
    Shape ws = n.shape(1);
    long g = n.i("group", 1);
    long m = ws.dim(0);
    long cg = ws.dim(1);
    int sp = w.rank();
    String kernel = c.x(1);
    if (g == 1 || m / g != 1 || cg != 1) {
      long[] split = new long[3 + sp];
      split[0] = g;
      split[1] = m / g;
      split[2] = cg;
      System.arraycopy(w.kernel(), 0, split, 3, sp);
      long[] perm = new long[3 + sp];
      perm[0] = 0;
      perm[1] = 2;
      perm[2] = 1;
      for (int i = 3; i < perm.length; i++) {
        perm[i] = i;
      }
      long[] merged = new long[2 + sp];
      merged[0] = g * cg;
      merged[1] = m / g;
      System.arraycopy(w.kernel(), 0, merged, 2, sp);
      String t = b.transpose(b.reshape(kernel, split, h(c, "wsplit")), perm, h(c, "wswap"));
      kernel = b.reshape(t, merged, h(c, "wT"));
    }
    long[] axes = new long[sp];
    long[] minus = new long[sp];
    long[] starts = new long[sp];
    long[] ends = new long[sp];
    for (int i = 0; i < sp; i++) {
      axes[i] = 2 + i;
      minus[i] = -1;
      starts[i] = -1;
      ends[i] = Long.MIN_VALUE;
    }
    String flipped = b.op("Slice", h(c, "wflip"),
        List.of(kernel, b.int64s(starts), b.int64s(ends), b.int64s(axes), b.int64s(minus)));
    long[] pads = new long[2 * sp];
    for (int i = 0; i < sp; i++) {
      long reach = w.dilations()[i] * (w.kernel()[i] - 1);
      pads[i] = reach - w.begin()[i];
      pads[sp + i] = reach - w.end()[i];
    }
    return b.op("Conv", h(c, ""), List.of(c.dy(), flipped), Attrs.ints("kernel_shape", w.kernel()),
        Attrs.ints("strides", Window.ones(sp)), Attrs.ints("dilations", w.dilations()), Attrs.ints("pads", pads),
        Attrs.i("group", g));
  }

  private static String convTranspose(NodeView n, EmitContext c, Window w) {
    int sp = w.rank();
    long[] outPad = new long[sp];
    for (int i = 0; i < sp; i++) {
      long reach = w.dilations()[i] * (w.kernel()[i] - 1);
      outPad[i] = (w.in()[i] + w.begin()[i] + w.end()[i] - reach - 1) % w.strides()[i];
    }
    return c.b().op("ConvTranspose", h(c, ""), List.of(c.dy(), c.x(1)), Attrs.ints("kernel_shape", w.kernel()),
        Attrs.ints("strides", w.strides()), Attrs.ints("dilations", w.dilations()), Attrs.ints("pads", w.pads()),
        Attrs.ints("output_padding", outPad), Attrs.i("group", n.i("group", 1)));
  }
}
