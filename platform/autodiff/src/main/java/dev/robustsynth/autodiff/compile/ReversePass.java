package dev.robustsynth.autodiff.compile;

import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.emit.EmitContext;
import dev.robustsynth.autodiff.emit.GraphBuilder;
import dev.robustsynth.autodiff.graph.NodeView;
import dev.robustsynth.autodiff.ops.OpRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The generic reverse pass: walks the live nodes backwards, sums the gradient contributions of
 * each output (fan-out), asks the node's rule for its vector-Jacobian product, checks that every
 * input that depends on the image got exactly one gradient, and records it as a contribution.
 * Nodes none of whose outputs lead to the loss are skipped (activity analysis).
 */
final class ReversePass {
  private final Analysis analysis;
  private final EmitContext ctx;
  private final Map<String, List<String>> contributions = new HashMap<>();

  ReversePass(Analysis analysis, EmitContext ctx) {
    this.analysis = analysis;
    this.ctx = ctx;
  }

  /** Adds a gradient contribution (an emitted tensor) to a source tensor. */
  void contribute(String source, String grad) {
    contributions.computeIfAbsent(source, k -> new ArrayList<>()).add(grad);
  }

  /** Runs the pass; returns the contributions to the image input (empty if the loss ignores it). */
  List<String> run() throws CompileException {
    GraphBuilder b = ctx.b();
    List<NodeView> live = analysis.live();
    for (int i = live.size() - 1; i >= 0; i--) {
      NodeView n = live.get(i);
      String dy = null;
      for (int k = 0; k < n.outputCount(); k++) {
        List<String> c = contributions.remove(n.output(k));
        if (c == null) {
          continue;
        }
        if (k > 0) {
          throw n.error("gradients through output " + k + " are not supported");
        }
        dy = b.sum(c, "grad/" + n.output(0));
      }
      if (dy == null) {
        continue;
      }
      ctx.at(n, dy);
      List<String> grads = OpRegistry.rule(n.op()).orElseThrow().vjp().vjp(n, ctx);
      if (grads.size() != n.inputCount()) {
        throw n.error("rule returned " + grads.size() + " gradients for " + n.inputCount() + " inputs");
      }
      for (int k = 0; k < n.inputCount(); k++) {
        if (!n.varied(k)) {
          continue;
        }
        if (grads.get(k) == null) {
          throw n.error("no gradient for input " + k + " ('" + n.input(k) + "'), which depends on the image");
        }
        contribute(n.input(k), grads.get(k));
      }
    }
    List<String> dx = contributions.remove(analysis.source().input());
    return dx == null ? List.of() : dx;
  }
}
