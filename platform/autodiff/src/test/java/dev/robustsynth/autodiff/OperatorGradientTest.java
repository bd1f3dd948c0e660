package dev.robustsynth.autodiff;

import static dev.robustsynth.autodiff.GradCase.absent;
import static dev.robustsynth.autodiff.GradCase.act;
import static dev.robustsynth.autodiff.GradCase.ints;
import static dev.robustsynth.autodiff.GradCase.of;
import static dev.robustsynth.autodiff.GradCase.positive;
import static dev.robustsynth.autodiff.GradCase.same;
import static dev.robustsynth.autodiff.GradCase.scalar;
import static dev.robustsynth.autodiff.GradCase.shifted;
import static dev.robustsynth.autodiff.GradCase.transposed;
import static dev.robustsynth.autodiff.GradCase.w;
import static dev.robustsynth.autodiff.emit.Attrs.f;
import static dev.robustsynth.autodiff.emit.Attrs.i;
import static dev.robustsynth.autodiff.emit.Attrs.ints;
import static dev.robustsynth.autodiff.emit.Attrs.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operator rule against central finite differences on random weights, in real ORT
 * sessions: one table of (op, attributes, inputs, tolerance) feeding one parameterised test, in
 * the style of JAX's {@code LAX_GRAD_OPS}. The error is |FD − analytic| / Σ|g·v| along two random
 * directions.
 */
class OperatorGradientTest {
  private static final long BIG = Long.MAX_VALUE;
  private static final AtomicReference<String> WORST = new AtomicReference<>("none");
  private static double worst = 0;

  static List<GradCase> table() {
    return List.of(
        // Conv: flipped-kernel Conv for stride 1, ConvTranspose otherwise
        of("Conv k3 s1 p1 bias", "Conv", act(3, 6, 6), w(4, 3, 3, 3), w(4)).attrs(ints("pads", 1, 1, 1, 1)),
        of("Conv k3 s2 p1 output_padding 1", "Conv", act(3, 8, 8), w(4, 3, 3, 3))
            .attrs(ints("strides", 2, 2), ints("pads", 1, 1, 1, 1)),
        of("Conv k3 s2 asymmetric pads", "Conv", act(2, 6, 7), w(3, 2, 3, 3))
            .attrs(ints("strides", 2, 2), ints("pads", 0, 1, 1, 0)),
        of("Conv depthwise k3 s1", "Conv", act(4, 5, 5), w(4, 1, 3, 3))
            .attrs(i("group", 4), ints("pads", 1, 1, 1, 1)),
        of("Conv depthwise k3 s2", "Conv", act(4, 6, 6), w(4, 1, 3, 3))
            .attrs(i("group", 4), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1)),
        of("Conv depthwise multiplier 2", "Conv", act(2, 5, 5), w(4, 1, 3, 3)).attrs(i("group", 2)),
        of("Conv grouped g2 s1", "Conv", act(4, 5, 5), w(6, 2, 3, 3))
            .attrs(i("group", 2), ints("pads", 1, 1, 1, 1)),
        of("Conv grouped g2 s2", "Conv", act(4, 6, 6), w(6, 2, 3, 3), w(6))
            .attrs(i("group", 2), ints("strides", 2, 2), ints("pads", 1, 0, 1, 0)),
        of("Conv dilation 2", "Conv", act(2, 7, 7), w(3, 2, 3, 3))
            .attrs(ints("dilations", 2, 2), ints("pads", 2, 2, 2, 2)),
        of("Conv dilation 2 stride 2", "Conv", act(2, 8, 8), w(3, 2, 3, 3))
            .attrs(ints("dilations", 2, 2), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1)),
        of("Conv SAME_UPPER k3 s2", "Conv", act(2, 7, 7), w(3, 2, 3, 3))
            .attrs(s("auto_pad", "SAME_UPPER"), ints("strides", 2, 2)),
        of("Conv SAME_LOWER k2 s1", "Conv", act(2, 5, 5), w(3, 2, 2, 2)).attrs(s("auto_pad", "SAME_LOWER")),
        of("Conv 1x1 s2 shortcut", "Conv", act(4, 6, 6), w(3, 4, 1, 1)).attrs(ints("strides", 2, 2)),
        of("Conv k7 s2 p3 stem", "Conv", act(3, 9, 9), w(2, 3, 7, 7))
            .attrs(ints("strides", 2, 2), ints("pads", 3, 3, 3, 3)),
        of("Conv non-square k3x1 s(2,1)", "Conv", act(2, 6, 5), w(3, 2, 3, 1))
            .attrs(ints("strides", 2, 1), ints("pads", 1, 0, 1, 0)),
        of("Conv 1-D", "Conv", act(2, 9), w(3, 2, 3)).attrs(ints("strides", 2), ints("pads", 1, 1)),
        // normalisation and activations
        of("BatchNormalization", "BatchNormalization", act(3, 4, 4), w(3), w(3), w(3), positive(3))
            .attrs(f("epsilon", 1e-3)),
        of("BatchNormalization 2-D", "BatchNormalization", act(5), w(5), w(5), w(5), positive(5)),
        of("Relu", "Relu", act(2, 3, 4)).piecewiseLinear(),
        of("LeakyRelu", "LeakyRelu", act(2, 3, 4)).attrs(f("alpha", 0.1)).piecewiseLinear(),
        of("Sigmoid", "Sigmoid", act(2, 3, 4)),
        of("Tanh", "Tanh", act(2, 3, 4)),
        of("Clip min max", "Clip", act(2, 3, 4), scalar(0), scalar(0.5)).piecewiseLinear(),
        of("Clip max only", "Clip", act(2, 3, 4), absent(), scalar(0.5)).piecewiseLinear(),
        of("HardSigmoid kinks at ±0.5", "HardSigmoid", act(2, 3, 4)).attrs(f("alpha", 1.0), f("beta", 0.5))
            .piecewiseLinear(),
        of("HardSigmoid torch defaults", "HardSigmoid", shifted(2.5, 2, 3, 4)).attrs(f("alpha", 1.0 / 6)),
        of("HardSwish around -3", "HardSwish", shifted(-3.0, 2, 3, 4)).opset(14),
        of("HardSwish around 3", "HardSwish", shifted(3.0, 2, 3, 4)).opset(14),
        of("Sqrt", "Sqrt", shifted(2.0, 6)),
        of("Neg", "Neg", act(6)),
        of("Cast float to float", "Cast", act(6)).attrs(i("to", 1)),
        of("Identity", "Identity", act(2, 3)),
        of("Dropout opset 11", "Dropout", act(2, 3)).attrs(f("ratio", 0.3)).opset(11),
        of("Dropout opset 13 ratio input", "Dropout", act(2, 3), scalar(0.3)).opset(13),
        // broadcasting arithmetic
        of("Add channel bias", "Add", act(3, 4, 4), w(3, 1, 1)),
        of("Add both from x, broadcast", "Add", act(3, 4, 4), act(3, 1, 1)),
        of("Sub rank-broadcast weight", "Sub", act(2, 3, 4), w(4)),
        of("Sub weight minus x", "Sub", w(3, 4), act(2, 3, 4)),
        of("Sub both from x", "Sub", act(3, 4), act(1, 4)),
        of("Mul both from x, broadcast", "Mul", act(3, 4, 4), act(3, 1, 1)),
        of("Mul x by itself (fan-out)", "Mul", act(3, 4), same(0)),
        of("Mul by scalar", "Mul", act(3, 4), scalar(-1.5)),
        of("Div by weight", "Div", act(3, 4), positive(4)),
        of("Div both from x", "Div", act(3, 4), shifted(2.0, 3, 1)),
        // linear algebra
        of("MatMul x by weight", "MatMul", act(3, 4), w(4, 5)),
        of("MatMul both from x", "MatMul", act(3, 4), act(4, 2)),
        of("MatMul weight by x", "MatMul", w(3, 4), act(2, 4, 2)),
        of("Gemm transB bias", "Gemm", act(6), w(5, 6), w(5)).attrs(i("transB", 1)),
        of("Gemm alpha beta", "Gemm", act(6), w(6, 5), w(1, 5)).attrs(f("alpha", 0.7), f("beta", 1.3)),
        of("Gemm transA", "Gemm", transposed(6), w(6, 5)).attrs(i("transA", 1)),
        of("Gemm transA transB C from x", "Gemm", transposed(6), w(5, 6), act(5))
            .attrs(i("transA", 1), i("transB", 1), f("beta", 0.5)),
        // data movement
        of("Flatten", "Flatten", act(2, 3, 3)).attrs(i("axis", 1)),
        of("Reshape copy and infer", "Reshape", act(2, 3, 4), ints(0, 6, -1)),
        of("Transpose", "Transpose", act(2, 3, 4)).attrs(ints("perm", 0, 3, 1, 2)),
        of("Squeeze axes input", "Squeeze", act(3, 1, 4), ints(2)),
        of("Squeeze axes attribute opset 11", "Squeeze", act(3, 1, 4)).attrs(ints("axes", -2)).opset(11),
        of("Unsqueeze axes input", "Unsqueeze", act(3, 4), ints(1, -1)),
        of("Unsqueeze axes attribute opset 11", "Unsqueeze", act(3, 4)).attrs(ints("axes", 2)).opset(11),
        of("Concat axis 1", "Concat", act(2, 3), act(4, 3)).attrs(i("axis", 1)),
        of("Concat axis -1 three inputs", "Concat", act(2, 3), act(2, 1), act(2, 2)).attrs(i("axis", -1)),
        of("Slice steps 1", "Slice", act(4, 6), ints(1, 0), ints(3, -1), ints(1, 2)),
        of("Slice steps 2 and -2", "Slice", act(7, 6), ints(0, 5), ints(BIG, -BIG), ints(1, 2), ints(2, -2)),
        of("Slice reverse", "Slice", act(3, 5), ints(-1), ints(-BIG), ints(-1), ints(-1)),
        of("Pad constant value", "Pad", act(2, 3, 3), ints(0, 0, 1, 2, 0, 0, 2, 1), scalar(0.5)),
        of("Pad negative (crop)", "Pad", act(2, 4, 4), ints(0, 0, -1, 0, 0, 0, 0, -1)),
        of("Pad opset 11 attribute-free", "Pad", act(2, 3, 3), ints(0, 0, 1, 1, 0, 0, 1, 1)).opset(11),
        // pools
        of("MaxPool 2x2 s2", "MaxPool", act(2, 4, 4)).attrs(ints("kernel_shape", 2, 2), ints("strides", 2, 2))
            .piecewiseLinear(),
        of("MaxPool 3x3 s2 p1 overlapping", "MaxPool", act(2, 7, 7))
            .attrs(ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1)).piecewiseLinear(),
        of("MaxPool 3x3 s1 p1", "MaxPool", act(2, 5, 5))
            .attrs(ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)).piecewiseLinear(),
        of("MaxPool ceil_mode", "MaxPool", act(2, 5, 5))
            .attrs(ints("kernel_shape", 2, 2), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), i("ceil_mode", 1))
            .piecewiseLinear(),
        of("MaxPool dilation 2", "MaxPool", act(2, 6, 6)).attrs(ints("kernel_shape", 2, 2), ints("dilations", 2, 2))
            .piecewiseLinear(),
        of("MaxPool SAME_UPPER k3 s2", "MaxPool", act(2, 6, 6))
            .attrs(ints("kernel_shape", 3, 3), ints("strides", 2, 2), s("auto_pad", "SAME_UPPER")).piecewiseLinear(),
        of("AveragePool 2x2 s2", "AveragePool", act(2, 4, 4))
            .attrs(ints("kernel_shape", 2, 2), ints("strides", 2, 2)),
        of("AveragePool 3x3 s2 p1 exclude pad", "AveragePool", act(2, 7, 7))
            .attrs(ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1)),
        of("AveragePool 3x3 s2 p1 include pad", "AveragePool", act(2, 7, 7))
            .attrs(ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1),
                i("count_include_pad", 1)),
        of("AveragePool ceil exclude pad", "AveragePool", act(2, 6, 6))
            .attrs(ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), i("ceil_mode", 1)),
        of("AveragePool ceil include pad", "AveragePool", act(2, 6, 6))
            .attrs(ints("kernel_shape", 3, 3), ints("strides", 2, 2), ints("pads", 1, 1, 1, 1), i("ceil_mode", 1),
                i("count_include_pad", 1)),
        of("AveragePool 3x3 s1 p1", "AveragePool", act(2, 5, 5))
            .attrs(ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1)),
        of("GlobalAveragePool", "GlobalAveragePool", act(3, 4, 5)),
        // reductions and softmax
        of("ReduceMean keepdims", "ReduceMean", act(3, 4, 4)).attrs(ints("axes", 2, 3)),
        of("ReduceMean no keepdims", "ReduceMean", act(3, 4, 4)).attrs(ints("axes", -1), i("keepdims", 0)),
        of("ReduceMean opset 18 axes input", "ReduceMean", act(3, 4, 4), ints(2, 3)).opset(18),
        of("ReduceSum no keepdims", "ReduceSum", act(3, 4), ints(1)).attrs(i("keepdims", 0)),
        of("Softmax axis 1", "Softmax", act(3, 4)).attrs(i("axis", 1)),
        of("Softmax opset 11 coerced 2-D", "Softmax", act(3, 4)).attrs(i("axis", 1)).opset(11),
        of("LogSoftmax last axis", "LogSoftmax", act(3, 4)).attrs(i("axis", -1)),
        of("LogSoftmax opset 11 coerced 2-D", "LogSoftmax", act(3, 4)).attrs(i("axis", 1)).opset(11));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void gradientMatchesFiniteDifferences(GradCase c) throws Exception {
    CompiledModel m = SynthesisCompiler.compile(FiniteDifference.model(c, 7), CompileOptions.defaults());
    FiniteDifference.Result r = FiniteDifference.check(m, c.kinked(), 11);
    synchronized (OperatorGradientTest.class) {
      if (r.error() > worst) {
        worst = r.error();
        WORST.set(c.name());
      }
    }
    assertTrue(r.error() <= c.tol(), () -> c.name() + ": relative error " + r.error() + " > " + c.tol()
        + " (analytic " + r.analytic() + ", numeric " + r.numeric() + ")");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void compiledGraphsComputeTheSourceModelsLogits(GradCase c) throws Exception {
    var source = FiniteDifference.model(c, 7);
    CompiledModel m = SynthesisCompiler.compile(source, CompileOptions.defaults());
    int d = m.signature().width();
    int k = m.signature().classes();
    float[] x = new float[3 * d];
    java.util.Random r = new java.util.Random(5);
    for (int j = 0; j < x.length; j++) {
      x[j] = (float) (2 * r.nextDouble() - 1);
    }
    var xs = java.util.Map.of("x", new OrtRunner.Tensor(x, new long[] {3, 1, 1, d}));
    float[] expected;
    float[] forward;
    float[] synthesis;
    try (OrtRunner o = new OrtRunner(source)) {
      expected = o.run(xs).get("out").data();
    }
    try (OrtRunner o = new OrtRunner(m.forward())) {
      forward = o.run(xs).get("logits").data();
    }
    try (OrtRunner o = new OrtRunner(m.synthesis())) {
      var in = new java.util.HashMap<>(xs);
      in.put("target", new OrtRunner.Tensor(new float[3 * k], new long[] {3, k}));
      in.put("w_logit", new OrtRunner.Tensor(new float[3 * k], new long[] {3, k}));
      in.put("w_ce", new OrtRunner.Tensor(new float[3], new long[] {3}));
      synthesis = o.run(in, java.util.Set.of("logits")).get("logits").data();
    }
    assertEquals(expected.length, forward.length, "logits length");
    double scale = 0;
    for (float v : expected) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int j = 0; j < expected.length; j++) {
      assertEquals(expected[j], forward[j], 1e-6 * Math.max(1, scale), "forward graph logit " + j);
      assertEquals(expected[j], synthesis[j], 1e-6 * Math.max(1, scale), "synthesis graph logit " + j);
    }
  }

  @AfterAll
  static void report() {
    System.out.printf("OperatorGradientTest: %d rows, worst relative error %.3g (%s)%n", table().size(), worst,
        WORST.get());
  }
}
