package dev.robustsynth.autodiff.compile;

import static dev.robustsynth.autodiff.SynthesisNames.LOGITS;
import static dev.robustsynth.autodiff.SynthesisNames.LOSS;
import static dev.robustsynth.autodiff.SynthesisNames.TARGET;
import static dev.robustsynth.autodiff.SynthesisNames.W_CE;
import static dev.robustsynth.autodiff.SynthesisNames.W_LOGIT;

import dev.robustsynth.autodiff.LayerInfo;
import dev.robustsynth.autodiff.SynthesisNames;
import dev.robustsynth.autodiff.emit.Attrs;
import dev.robustsynth.autodiff.emit.GraphBuilder;
import java.util.List;
import java.util.stream.LongStream;

/**
 * The synthesis objective and its seed gradients. Per example:
 * {@code loss = w_ce·CE(logits, target) − Σ_k w_logit·logits − Σ_L Σ w_L·L}, with the soft-target
 * cross-entropy {@code CE = −Σ_k target·logsoftmax(logits)}. The seed with respect to the logits
 * is emitted in closed form, {@code w_ce·(softmax·Σ_k target − target) − w_logit}, and with respect
 * to each exposed activation it is {@code −w_L}. Examples are independent, so the gradient of the
 * per-example loss vector summed is each example's own input gradient.
 */
final class LossBuilder {
  private LossBuilder() {}

  /**
   * Emits the loss output and adds the seeds to the reverse pass.
   *
   * @param logitsSource source name of the logits tensor
   * @param exposed exposed activations (their emitted names equal the source names)
   */
  static void emit(GraphBuilder b, ReversePass pass, String logitsSource, List<LayerInfo> exposed) {
    String logp = b.op("LogSoftmax", "loss/logp", List.of(LOGITS), Attrs.i("axis", 1));
    String tl = b.mul(TARGET, logp, "loss/target_logp");
    String ce = b.neg(b.reduceSum(tl, new long[] {1}, false, "loss/sum_target_logp"), "loss/ce");
    String linear = b.reduceSum(b.mul(W_LOGIT, LOGITS, "loss/w_logits"), new long[] {1}, false, "loss/linear");
    String total = b.sub(b.mul(W_CE, ce, "loss/weighted_ce"), linear, "loss/ce_minus_linear");
    for (LayerInfo l : exposed) {
      String w = SynthesisNames.weightOf(l.name());
      String prod = b.mul(w, l.name(), "loss/" + w);
      long[] axes = LongStream.rangeClosed(1, l.shape().size()).toArray();
      String term = axes.length == 0 ? prod : b.reduceSum(prod, axes, false, "loss/sum_" + w);
      total = b.sub(total, term, "loss/minus_" + w);
    }
    b.node("Identity", List.of(total), List.of(LOSS), List.of());

    String p = b.op("Exp", "seed/softmax", List.of(logp));
    String tsum = b.reduceSum(TARGET, new long[] {1}, true, "seed/target_sum");
    String ceGrad = b.sub(b.mul(p, tsum, "seed/p_tsum"), TARGET, "seed/ce_grad");
    String wce = b.unsqueeze(W_CE, new long[] {1}, "seed/w_ce");
    String dz = b.sub(b.mul(wce, ceGrad, "seed/weighted_ce_grad"), W_LOGIT, "seed/logits");
    pass.contribute(logitsSource, dz);
    for (LayerInfo l : exposed) {
      pass.contribute(l.name(), b.neg(SynthesisNames.weightOf(l.name()), "seed/" + l.name()));
    }
  }
}
