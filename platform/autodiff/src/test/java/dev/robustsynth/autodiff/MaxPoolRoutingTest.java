package dev.robustsynth.autodiff;

import static dev.robustsynth.autodiff.emit.Attrs.i;
import static dev.robustsynth.autodiff.emit.Attrs.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.autodiff.OrtRunner.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The MaxPool gradient is exactly PyTorch's routing on the values the forward saw: each window's
 * gradient goes to its first maximum in row-major order (exact ties included), padded positions and
 * the overhang of a ceil_mode window are never chosen, and the output size follows PyTorch's ceil rule.
 * The model is {@code x → MaxPool → Flatten} (the pooled values are the logits), so with
 * {@code w_ce = 0} the gradient at the pool output is {@code −w_logit} and {@code grad_x} can be
 * checked element by element against a reference computed here. Inputs take 4 levels, so most
 * windows hold tied maxima.
 */
class MaxPoolRoutingTest {
  record Pool(String name, int k, int s, int pad, boolean ceil, int h, int w) {}

  static Stream<Arguments> cases() {
    List<Pool> pools = List.of(
        new Pool("inception branch 3x3/s1/p1 ceil", 3, 1, 1, true, 8, 8),
        new Pool("GoogLeNet stem 3x3/s2 ceil, overhanging last window", 3, 2, 0, true, 16, 16),
        new Pool("3x3/s2/p1 ceil on odd size", 3, 2, 1, true, 7, 9),
        new Pool("2x2/s2 ceil, non-overlapping with overhang", 2, 2, 0, true, 5, 5),
        new Pool("3x3/s2 floor", 3, 2, 0, false, 8, 8));
    List<Arguments> r = new ArrayList<>();
    for (Pool p : pools) {
      for (ExecutionTarget t : ExecutionTarget.values()) {
        r.add(Arguments.of(p, t));
      }
    }
    return r.stream();
  }

  static int outSize(int in, Pool p) {
    int span = in + 2 * p.pad() - p.k();
    int out = (p.ceil() ? (span + p.s() - 1) / p.s() : span / p.s()) + 1;
    if (p.ceil() && (out - 1) * p.s() >= in + p.pad()) {
      out--;
    }
    return out;
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void gradientGoesToTheFirstMaximumOfEachWindow(Pool p, ExecutionTarget target) throws Exception {
    int n = 2;
    int c = 3;
    int oh = outSize(p.h(), p);
    int ow = outSize(p.w(), p);
    int k = c * oh * ow;
    TinyModel m = new TinyModel(14, 1).input("x", c, p.h(), p.w()).output("logits", k);
    m.node("MaxPool", List.of("x"), "pooled", ints("kernel_shape", p.k(), p.k()), ints("strides", p.s(), p.s()),
        ints("pads", p.pad(), p.pad(), p.pad(), p.pad()), i("ceil_mode", p.ceil() ? 1 : 0));
    m.node("Flatten", List.of("pooled"), "logits", i("axis", 1));
    CompiledModel compiled = SynthesisCompiler.compile(m.build(), CompileOptions.defaults().withTarget(target));

    Random random = new Random(7);
    float[] x = new float[n * c * p.h() * p.w()];
    for (int j = 0; j < x.length; j++) {
      x[j] = random.nextInt(4) / 4f;
    }
    float[] wLogit = new float[n * k];
    for (int j = 0; j < wLogit.length; j++) {
      wLogit[j] = (float) random.nextGaussian();
    }
    Map<String, Tensor> out;
    try (OrtRunner ort = new OrtRunner(compiled.synthesis())) {
      out = ort.run(Map.of("x", new Tensor(x, new long[] {n, c, p.h(), p.w()}),
          "target", new Tensor(new float[n * k], new long[] {n, k}), "w_ce", new Tensor(new float[n], new long[] {n}),
          "w_logit", new Tensor(wLogit, new long[] {n, k})));
    }
    assertArrayEquals(new long[] {n, k}, out.get("logits").shape(), "pool output size (PyTorch's ceil rule)");

    float[] pooled = new float[n * k];
    float[] grad = new float[x.length];
    int ties = 0;
    for (int b = 0; b < n * c; b++) {
      for (int y = 0; y < oh; y++) {
        for (int z = 0; z < ow; z++) {
          int best = -1;
          int equal = 0;
          for (int hh = Math.max(0, y * p.s() - p.pad()); hh < Math.min(p.h(), y * p.s() - p.pad() + p.k()); hh++) {
            for (int ww = Math.max(0, z * p.s() - p.pad()); ww < Math.min(p.w(), z * p.s() - p.pad() + p.k()); ww++) {
              int at = (b * p.h() + hh) * p.w() + ww;
              if (best < 0 || x[at] > x[best]) {
                best = at;
                equal = 1;
              } else if (x[at] == x[best]) {
                equal++;
              }
            }
          }
          int o = (b * oh + y) * ow + z;
          pooled[o] = x[best];
          grad[best] -= wLogit[o];
          ties += equal > 1 ? 1 : 0;
        }
      }
    }
    assertTrue(ties > n * k / 4, "too few tied windows to test the tie rule: " + ties);
    assertArrayEquals(pooled, out.get("logits").data(), "pooled values");
    float[] ours = out.get("grad_x").data();
    for (int j = 0; j < grad.length; j++) {
      assertEquals(grad[j], ours[j], 1e-5f, "grad_x at flat index " + j);
    }
  }
}
