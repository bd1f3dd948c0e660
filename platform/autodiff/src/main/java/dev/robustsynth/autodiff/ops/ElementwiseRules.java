package dev.robustsynth.autodiff.ops;

import dev.robustsynth.autodiff.CompileException;
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
 * Element-wise operators: activations (kink conventions copied from PyTorch's backward kernels:
 * Relu and LeakyRelu strict at 0, Clip inclusive at its bounds), pass-through ops and the four
 * broadcasting arithmetic ops.
 */
final class ElementwiseRules {
  private ElementwiseRules() {}

  static List<OpRule> all() {
    return List.of(
        OpRule.of("Relu", ElementwiseRules::same, ElementwiseRules::relu),
        OpRule.of("LeakyRelu", ElementwiseRules::same, ElementwiseRules::leakyRelu),
        OpRule.of("Sigmoid", ElementwiseRules::same, (n, c) -> List.of(
            c.b().mul(c.dy(), c.b().mul(c.y(0), c.b().sub(c.b().scalar(1), c.y(0), h(c, "1-y")), h(c, "dsig")),
                h(c, "")))),
        OpRule.of("Tanh", ElementwiseRules::same, (n, c) -> List.of(
            c.b().mul(c.dy(), c.b().sub(c.b().scalar(1), c.b().mul(c.y(0), c.y(0), h(c, "y2")), h(c, "dtanh")),
                h(c, "")))),
        OpRule.of("Neg", ElementwiseRules::same, (n, c) -> List.of(c.b().neg(c.dy(), h(c, "")))),
        OpRule.of("Sqrt", ElementwiseRules::same, (n, c) -> List.of(
            c.b().div(c.dy(), c.b().mul(c.y(0), c.b().scalar(2), h(c, "2y")), h(c, "")))),
        OpRule.of("Clip", ElementwiseRules::same, ElementwiseRules::clip),
        OpRule.of("HardSigmoid", ElementwiseRules::same, ElementwiseRules::hardSigmoid),
        OpRule.of("HardSwish", ElementwiseRules::same, ElementwiseRules::hardSwish),
        OpRule.of("Identity", ElementwiseRules::same, (n, c) -> List.of(c.dy())),
        new OpRule("Dropout", ElementwiseRules::dropoutShape, ElementwiseRules::dropoutForward,
            (n, c) -> grads(n, c.dy())),
        new OpRule("Cast", ElementwiseRules::castShape, (n, c) -> c.copy(), ElementwiseRules::cast),
        OpRule.of("Add", ElementwiseRules::broadcast, (n, c) -> binary(n, c, c.dy(), c.dy())),
        OpRule.of("Sub", ElementwiseRules::broadcast,
            (n, c) -> binary(n, c, c.dy(), n.varied(1) ? c.b().neg(c.dy(), h(c, "neg")) : null)),
        OpRule.of("Mul", ElementwiseRules::broadcast, (n, c) -> binary(n, c,
            n.varied(0) ? c.b().mul(c.dy(), c.x(1), h(c, "dA")) : null,
            n.varied(1) ? c.b().mul(c.dy(), c.x(0), h(c, "dB")) : null)),
        OpRule.of("Div", ElementwiseRules::broadcast, (n, c) -> binary(n, c,
            n.varied(0) ? c.b().div(c.dy(), c.x(1), h(c, "dA")) : null,
            n.varied(1) ? c.b().neg(c.b().div(c.b().mul(c.dy(), c.y(0), h(c, "dyy")), c.x(1), h(c, "dyy/b")),
                h(c, "dB")) : null)));
  }

  static String h(EmitContext c, String what) {
    return c.gradHint(what);
  }

  static List<TensorType> same(NodeView n) throws CompileException {
    return List.of(n.in(0));
  }

  /** A gradient list with {@code g} for input 0 and null for the others. */
  static List<String> grads(NodeView n, String g) {
    List<String> r = new ArrayList<>();
    r.add(g);
    for (int i = 1; i < n.inputCount(); i++) {
      r.add(null);
    }
    return r;
  }

  /**
   * dY·[Y &gt; 0], from the output (Y &gt; 0 exactly where X &gt; 0), so the forward's input has one
   * consumer and ORT can fuse Conv+BN+Relu; Greater, Cast and Mul measured faster than Where.
   */
  private static List<String> relu(NodeView n, EmitContext c) {
    GraphBuilder b = c.b();
    String mask = b.op("Greater", h(c, "mask"), List.of(c.y(0), b.scalar(0)));
    String ones = b.op("Cast", h(c, "mask01"), List.of(mask), Attrs.i("to", b.floatType()));
    return List.of(b.mul(c.dy(), ones, h(c, "")));
  }

  private static List<String> leakyRelu(NodeView n, EmitContext c) {
    GraphBuilder b = c.b();
    String mask = b.op("Greater", h(c, "mask"), List.of(c.x(0), b.scalar(0)));
    String scaled = b.mul(c.dy(), b.scalar(n.f("alpha", 0.01f)), h(c, "alpha"));
    return List.of(b.op("Where", h(c, ""), List.of(mask, c.dy(), scaled)));
  }

  private static List<String> clip(NodeView n, EmitContext c) throws CompileException {
    if (n.opset() < 11) {
      throw n.error("Clip before opset 11 (min/max attributes) is not supported");
    }
    if (n.varied(1) || n.varied(2)) {
      throw n.error("Clip bounds that depend on the input are not supported");
    }
    GraphBuilder b = c.b();
    String mask = null;
    if (n.has(1)) {
      mask = b.op("GreaterOrEqual", h(c, "lo"), List.of(c.x(0), c.x(1)));
    }
    if (n.has(2)) {
      String hi = b.op("LessOrEqual", h(c, "hi"), List.of(c.x(0), c.x(2)));
      mask = mask == null ? hi : b.op("And", h(c, "mask"), List.of(mask, hi));
    }
    String g = mask == null ? c.dy() : b.op("Where", h(c, ""), List.of(mask, c.dy(), b.scalar(0)));
    return grads(n, g);
  }

  /** dY·α on the open interval 0 &lt; αX+β &lt; 1 (strict, as PyTorch's hardsigmoid_backward). */
  private static List<String> hardSigmoid(NodeView n, EmitContext c) {
    GraphBuilder b = c.b();
    double alpha = n.f("alpha", 0.2f);
    String t = b.add(b.mul(c.x(0), b.scalar(alpha), h(c, "ax")), b.scalar(n.f("beta", 0.5f)), h(c, "t"));
    String inside = b.op("And", h(c, "inside"), List.of(b.op("Greater", h(c, "gt0"), List.of(t, b.scalar(0))),
        b.op("Less", h(c, "lt1"), List.of(t, b.scalar(1)))));
    String mask = b.op("Cast", h(c, "mask01"), List.of(inside), Attrs.i("to", b.floatType()));
    return List.of(b.mul(b.mul(c.dy(), b.scalar(alpha), h(c, "alpha")), mask, h(c, "")));
  }

  /** dY·{0 if X ≤ −3; X/3 + ½ if X &lt; 3; 1 otherwise} (PyTorch's current hardswish_backward). */
  private static List<String> hardSwish(NodeView n, EmitContext c) {
    GraphBuilder b = c.b();
    String slope = b.add(b.div(c.x(0), b.scalar(3), h(c, "x3")), b.scalar(0.5), h(c, "slope"));
    String above = b.op("Greater", h(c, "gtm3"), List.of(c.x(0), b.scalar(-3)));
    String below = b.op("Less", h(c, "lt3"), List.of(c.x(0), b.scalar(3)));
    String d = b.op("Where", h(c, "d"), List.of(below, b.op("Where", h(c, "dlow"), List.of(above, slope, b.scalar(0))),
        b.scalar(1)));
    return List.of(b.mul(c.dy(), d, h(c, "")));
  }

  private static List<TensorType> dropoutShape(NodeView n) throws CompileException {
    if (n.i("training_mode", 0) != 0 || (n.has(2) && n.value(2).map(v -> v.longAt(0) != 0).orElse(true))) {
      throw n.error("Dropout in training mode is not supported");
    }
    List<TensorType> r = new ArrayList<>(List.of(n.in(0)));
    if (n.outputCount() > 1) {
      r.add(new TensorType(Tensors.BOOL, n.shape(0)));
    }
    return r;
  }

  private static void dropoutForward(NodeView n, EmitContext c) throws CompileException {
    if (n.outputCount() > 1 && !n.output(1).isEmpty() && n.isNeeded(1)) {
      throw n.error("the mask output of Dropout is not supported");
    }
    c.b().node("Identity", List.of(c.x(0)), List.of(c.y(0)), List.of());
  }

  private static List<TensorType> castShape(NodeView n) throws CompileException {
    return List.of(new TensorType((int) n.i("to", Tensors.FLOAT), n.shape(0)));
  }

  private static List<String> cast(NodeView n, EmitContext c) throws CompileException {
    return List.of(c.b().op("Cast", h(c, ""), List.of(c.dy()), Attrs.i("to", n.in(0).elemType())));
  }

  private static List<TensorType> broadcast(NodeView n) throws CompileException {
    Shape a = n.shape(0);
    Shape b = n.shape(1);
    Shape out = Broadcast.shapes(a, b).orElseThrow(() -> n.error("cannot broadcast " + a + " with " + b));
    return List.of(new TensorType(n.in(0).elemType(), out));
  }

  /** Brings per-input elementwise gradients (before broadcasting) back to each input's shape. */
  private static List<String> binary(NodeView n, EmitContext c, String ga, String gb) throws CompileException {
    Shape out = Broadcast.shapes(n.shape(0), n.shape(1)).orElseThrow();
    String[] r = new String[2];
    String[] g = {ga, gb};
    for (int i = 0; i < 2; i++) {
      if (n.varied(i) && g[i] != null) {
        r[i] = Broadcast.unbroadcast(c.b(), g[i], out, n.shape(i), h(c, "unb" + i));
      }
    }
    return Arrays.asList(r);
  }
}
