package dev.robustsynth.autodiff.ops;

import static dev.robustsynth.autodiff.ops.ElementwiseRules.h;

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
 * MatMul (rank ≥ 2, batch dimensions broadcast) and Gemm (transA, transB, alpha, beta, optional
 * C). Gemm's input gradients are Gemms with β = 0 and no C, after ORT's {@code GetGemmGradient}.
 */
final class LinearRules {
  private LinearRules() {}

  static List<OpRule> all() {
    return List.of(
        OpRule.of("MatMul", LinearRules::matMulShape, LinearRules::matMul),
        OpRule.of("Gemm", LinearRules::gemmShape, LinearRules::gemm));
  }

  private static List<TensorType> matMulShape(NodeView n) throws CompileException {
    Shape a = n.shape(0);
    Shape b = n.shape(1);
    if (a.rank() < 2 || b.rank() < 2) {
      throw n.error("MatMul with a 1-D operand is not supported (shapes " + a + ", " + b + ")");
    }
    if (a.dim(-1) != b.dim(-1 - 1) || a.isBatch(-1)) {
      throw n.error("inner dimensions disagree: " + a + " × " + b);
    }
    Shape batch = Broadcast.shapes(prefix(a), prefix(b))
        .orElseThrow(() -> n.error("cannot broadcast the batch dimensions of " + a + " and " + b));
    long[] out = Arrays.copyOf(batch.dims(), batch.rank() + 2);
    out[batch.rank()] = a.dim(-2);
    out[batch.rank() + 1] = b.dim(-1);
    return List.of(new TensorType(n.in(0).elemType(), Shape.of(out)));
  }

  private static Shape prefix(Shape s) {
    return Shape.of(Arrays.copyOf(s.dims(), s.rank() - 2));
  }

  private static long[] swapLast(int rank) {
    long[] perm = new long[rank];
    for (int i = 0; i < rank; i++) {
      perm[i] = i;
    }
    perm[rank - 2] = rank - 1;
    perm[rank - 1] = rank - 2;
    return perm;
  }

  private static List<String> matMul(NodeView n, EmitContext c) throws CompileException {
    GraphBuilder b = c.b();
    Shape a = n.shape(0);
    Shape bs = n.shape(1);
    Shape out = matMulShape(n).get(0).shape();
    String[] r = new String[2];
    if (n.varied(0)) {
      String bt = b.transpose(c.x(1), swapLast(bs.rank()), h(c, "Bt"));
      String g = b.op("MatMul", h(c, "dA"), List.of(c.dy(), bt));
      Shape gs = out.with(-1, a.dim(-1));
      r[0] = Broadcast.unbroadcast(b, g, gs, a, h(c, "unbA"));
    }
    if (n.varied(1)) {
      String at = b.transpose(c.x(0), swapLast(a.rank()), h(c, "At"));
      String g = b.op("MatMul", h(c, "dB"), List.of(at, c.dy()));
      Shape gs = out.with(-2, bs.dim(-2));
      r[1] = Broadcast.unbroadcast(b, g, gs, bs, h(c, "unbB"));
    }
    return Arrays.asList(r);
  }

  private static List<TensorType> gemmShape(NodeView n) throws CompileException {
    Shape a = n.shape(0);
    Shape b = n.shape(1);
    if (a.rank() != 2 || b.rank() != 2) {
      throw n.error("Gemm needs 2-D A and B, got " + a + " and " + b);
    }
    boolean ta = n.i("transA", 0) != 0;
    boolean tb = n.i("transB", 0) != 0;
    long m = a.dim(ta ? 1 : 0);
    long ka = a.dim(ta ? 0 : 1);
    long kb = b.dim(tb ? 1 : 0);
    long cols = b.dim(tb ? 0 : 1);
    if (ka != kb || ka == Shape.N) {
      throw n.error("inner dimensions disagree: " + a + (ta ? "ᵀ" : "") + " × " + b + (tb ? "ᵀ" : ""));
    }
    Shape out = Shape.of(m, cols);
    if (n.has(2) && Broadcast.shapes(n.shape(2), out).filter(out::equals).isEmpty()) {
      throw n.error("C of shape " + n.shape(2) + " does not broadcast to " + out);
    }
    return List.of(new TensorType(n.in(0).elemType(), out));
  }

  private static List<String> gemm(NodeView n, EmitContext c) throws CompileException {
    GraphBuilder b = c.b();
    boolean ta = n.i("transA", 0) != 0;
    boolean tb = n.i("transB", 0) != 0;
    float alpha = n.f("alpha", 1f);
    float beta = n.f("beta", 1f);
    List<String> r = new ArrayList<>(Arrays.asList(new String[n.inputCount()]));
    String dy = c.dy();
    if (n.varied(0)) {
      List<String> in = ta ? List.of(c.x(1), dy) : List.of(dy, c.x(1));
      r.set(0, gemm(b, in, alpha, ta && tb, ta || !tb, h(c, "dA")));
    }
    if (n.varied(1)) {
      List<String> in = tb ? List.of(dy, c.x(0)) : List.of(c.x(0), dy);
      r.set(1, gemm(b, in, alpha, tb || !ta, ta && tb, h(c, "dB")));
    }
    if (n.varied(2)) {
      Shape out = gemmShape(n).get(0).shape();
      String g = beta == 1f ? dy : b.mul(dy, b.scalar(beta), h(c, "betaC"));
      r.set(2, Broadcast.unbroadcast(b, g, out, n.shape(2), h(c, "dC")));
    }
    return r;
  }

  private static String gemm(GraphBuilder b, List<String> in, float alpha, boolean transA, boolean transB,
      String hint) {
    return b.op("Gemm", hint, in, Attrs.f("alpha", alpha), Attrs.i("transA", transA ? 1 : 0),
        Attrs.i("transB", transB ? 1 : 0));
  }
}
