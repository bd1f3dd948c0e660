package dev.robustsynth.autodiff;

import static dev.robustsynth.autodiff.emit.Attrs.i;
import static dev.robustsynth.autodiff.emit.Attrs.ints;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.robustsynth.autodiff.GradCase.Act;
import dev.robustsynth.autodiff.OrtRunner.Tensor;
import dev.robustsynth.autodiff.graph.Tensors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Directional central finite differences of a compiled synthesis graph, all evaluations in one
 * batch: for each of two random directions v, rows x0 ± h·v and x0 ± h/2·v, plus x0 itself for
 * the analytic gradient. Richardson extrapolation (4·D(h/2) − D(h))/3 removes the O(h²) term.
 * Test helper.
 */
final class FiniteDifference {
  /** Result of one check: worst relative error over the directions. */
  record Result(double error, double analytic, double numeric) {}

  private static final int DIRECTIONS = 2;

  private FiniteDifference() {}

  /** Builds the tiny model of a table row: x [N,1,1,D] sliced into the row's image-derived inputs. */
  static ModelProto model(GradCase c, long seed) {
    TinyModel m = new TinyModel(c.opset(), seed);
    long d = c.acts().stream().mapToLong(a -> Tensors.count(a.shape())).sum();
    m.input("x", 1, 1, d);
    List<String> ins = new ArrayList<>();
    long offset = 0;
    int k = 0;
    for (GradCase.In in : c.inputs()) {
      String name = "in" + k++;
      switch (in) {
        case Act a -> {
          long len = Tensors.count(a.shape());
          String s = m.node("Slice", List.of("x", m.ints(name + "_s", offset), m.ints(name + "_e", offset + len),
              m.ints(name + "_a", 3)), name + "_flat");
          long[] target = new long[a.shape().length + 1];
          System.arraycopy(a.shape(), 0, target, 1, a.shape().length);
          String r = m.node("Reshape", List.of(s, m.ints(name + "_shape", target)), name + "_r");
          if (a.offset() != 0) {
            r = m.node("Add", List.of(r, m.scalar(name + "_off", a.offset())), name + "_shift");
          }
          if (a.transposed()) {
            long[] perm = new long[target.length];
            for (int p = 0; p < perm.length; p++) {
              perm[p] = perm.length - 1 - p;
            }
            r = m.node("Transpose", List.of(r), name + "_t", ints("perm", perm));
          }
          ins.add(r);
          offset += len;
        }
        case GradCase.Weight w -> {
          if (w.std() > 0) {
            ins.add(m.weight(name, w.std(), w.dims()));
          } else {
            Random r = new Random(seed + k);
            double[] v = new double[(int) Tensors.count(w.dims())];
            for (int j = 0; j < v.length; j++) {
              v[j] = 0.5 + r.nextDouble();
            }
            ins.add(m.floats(name, w.dims(), v));
          }
        }
        case GradCase.Ints iv -> ins.add(m.ints(name, iv.values()));
        case GradCase.Scalar s -> ins.add(m.scalar(name, s.value()));
        case GradCase.Absent a -> ins.add("");
        case GradCase.Same s -> ins.add(ins.get(s.index()));
      }
    }
    String y = m.node(c.op(), ins, "y", c.attrs().toArray(new ai.onnx.proto.OnnxMl.AttributeProto[0]));
    m.node("Flatten", List.of(y), "out", i("axis", 1));
    return m.buildWithOutput("out");
  }

  /** Runs the check; returns the worst error over the directions. */
  static Result check(CompiledModel compiled, boolean kinked, long seed) throws Exception {
    Random r = new Random(seed);
    ModelSignature sig = compiled.signature();
    int d = sig.width();
    int k = sig.classes();
    float[] x0 = grid(d, r);
    double h = kinked ? 0.2 * 2.0 / d : 1e-2;
    float[][] dirs = new float[DIRECTIONS][d];
    for (float[] v : dirs) {
      for (int j = 0; j < d; j++) {
        v[j] = (float) (2 * r.nextDouble() - 1);
      }
    }
    int rows = 4 * DIRECTIONS + 1;
    float[] x = new float[rows * d];
    double[] steps = {h, -h, h / 2, -h / 2};
    for (int dir = 0; dir < DIRECTIONS; dir++) {
      for (int s = 0; s < 4; s++) {
        int row = 4 * dir + s;
        for (int j = 0; j < d; j++) {
          x[row * d + j] = (float) (x0[j] + steps[s] * dirs[dir][j]);
        }
      }
    }
    System.arraycopy(x0, 0, x, (rows - 1) * d, d);
    float[] target = new float[rows * k];
    float[] wLogit = new float[rows * k];
    float[] wCe = new float[rows];
    double[] soft = new double[k];
    double total = 0;
    for (int j = 0; j < k; j++) {
      soft[j] = r.nextDouble();
      total += soft[j];
    }
    float[] wl = new float[k];
    for (int j = 0; j < k; j++) {
      wl[j] = (float) (r.nextGaussian() * 0.3);
    }
    for (int row = 0; row < rows; row++) {
      wCe[row] = kinked ? 0f : 1f;
      for (int j = 0; j < k; j++) {
        target[row * k + j] = (float) (0.9 * soft[j] / total);
        wLogit[row * k + j] = wl[j];
      }
    }
    Map<String, Tensor> out;
    try (OrtRunner ort = new OrtRunner(compiled.synthesis())) {
      out = ort.run(Map.of("x", new Tensor(x, new long[] {rows, 1, 1, d}),
          "target", new Tensor(target, new long[] {rows, k}), "w_ce", new Tensor(wCe, new long[] {rows}),
          "w_logit", new Tensor(wLogit, new long[] {rows, k})));
    }
    float[] loss = out.get("loss").data();
    float[] grad = out.get("grad_x").data();
    Result worst = null;
    for (int dir = 0; dir < DIRECTIONS; dir++) {
      double analytic = 0;
      double scale = 0;
      for (int j = 0; j < d; j++) {
        double t = (double) grad[(rows - 1) * d + j] * dirs[dir][j];
        analytic += t;
        scale += Math.abs(t);
      }
      int b = 4 * dir;
      double d1 = ((double) loss[b] - loss[b + 1]) / (2 * h);
      double d2 = ((double) loss[b + 2] - loss[b + 3]) / h;
      double numeric = (4 * d2 - d1) / 3;
      double err = Math.abs(numeric - analytic) / Math.max(scale, 1e-12);
      if (worst == null || err > worst.error()) {
        worst = new Result(err, analytic, numeric);
      }
    }
    return worst;
  }

  /** Distinct values on a grid of spacing 2/d in (−1, 1), shuffled: no ties, none at 0. */
  private static float[] grid(int d, Random r) {
    List<Integer> perm = new ArrayList<>();
    for (int j = 0; j < d; j++) {
      perm.add(j);
    }
    Collections.shuffle(perm, r);
    float[] v = new float[d];
    for (int j = 0; j < d; j++) {
      v[j] = (float) ((perm.get(j) + 0.5) * 2.0 / d - 1);
    }
    return v;
  }
}
