package dev.robustsynth.trainer.train;

import ai.djl.ndarray.NDArray;

/** Cross entropy on logits against one-hot targets. */
public final class Losses {

    private Losses() {
    }

    /** Per-example cross entropy, shape [N]. */
    public static NDArray crossEntropy(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();
    }

    /** Number of rows whose arg-max equals the label. */
    public static int correct(NDArray logits, NDArray labels) {
        return (int) logits.argMax(1).toType(labels.getDataType(), false).eq(labels).sum().getLong();
    }
}
