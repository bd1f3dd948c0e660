package dev.robustsynth.autodiff;

/**
 * Tensor names of the synthesis contract (DESIGN §4), shared by the compiler and the engine.
 * The batch dimension of every input and output is the symbolic parameter {@code N}.
 */
public final class SynthesisNames {
  /** Image batch [N,C,H,W], float in [0,1]. */
  public static final String X = "x";
  /** Soft label [N,K] for the cross-entropy term. */
  public static final String TARGET = "target";
  /** Weight [N] of the cross-entropy term per example. */
  public static final String W_CE = "w_ce";
  /** Linear weights [N,K] on the logits. */
  public static final String W_LOGIT = "w_logit";
  /** Logits [N,K]. */
  public static final String LOGITS = "logits";
  /** Per-example loss [N]. */
  public static final String LOSS = "loss";
  /** Per-example input gradient [N,C,H,W]. */
  public static final String GRAD_X = "grad_x";

  private SynthesisNames() {}

  /** Name of the weight input of an exposed activation: {@code w_<layer>}, same shape as the layer. */
  public static String weightOf(String layer) {
    return "w_" + layer;
  }
}
