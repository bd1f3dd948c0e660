package dev.robustsynth.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsynth.trainer.data.LabeledImages;
import dev.robustsynth.trainer.model.Network;

/** Clean and PGD-robust accuracy of a network on labelled images. */
public final class Evaluator {

    private final Network net;
    private final NDManager manager;
    private final int batchSize;

    public Evaluator(Network net, NDManager manager, int batchSize) {
        this.net = net;
        this.manager = manager;
        this.batchSize = batchSize;
    }

    public double cleanAccuracy(LabeledImages data) {
        long correct = 0;
        for (int from = 0; from < data.count(); from += batchSize) {
            int n = Math.min(batchSize, data.count() - from);
            try (NDManager bm = manager.newSubManager()) {
                NDArray x = batch(bm, data, from, n);
                NDArray y = bm.create(data.labels(from, n));
                correct += Losses.correct(net.forward(x, false), y);
            }
        }
        return correct / (double) data.count();
    }

    /**
     * Fraction of images still classified correctly at every PGD iterate (start, each step, final): an image
     * counts as broken as soon as one iterate is misclassified.
     */
    public double robustAccuracy(LabeledImages data, AttackConfig attack) {
        long correct = 0;
        int k = data.classes().size();
        for (int from = 0; from < data.count(); from += batchSize) {
            int n = Math.min(batchSize, data.count() - from);
            try (NDManager bm = manager.newSubManager()) {
                NDArray x = batch(bm, data, from, n);
                NDArray y = bm.create(data.labels(from, n));
                NDArray oneHot = y.oneHot(k);
                boolean[] ok = new boolean[n];
                java.util.Arrays.fill(ok, true);
                NDArray adv = Pgd.attack(net, x, oneHot, attack, logits -> and(ok, logits, y));
                and(ok, net.forward(adv, false), y);
                for (boolean b : ok) {
                    correct += b ? 1 : 0;
                }
            }
        }
        return correct / (double) data.count();
    }

    private static void and(boolean[] ok, NDArray logits, NDArray y) {
        boolean[] hit = logits.argMax(1).toType(y.getDataType(), false).eq(y).toBooleanArray();
        for (int i = 0; i < ok.length; i++) {
            ok[i] &= hit[i];
        }
    }

    static NDArray batch(NDManager m, LabeledImages data, int from, int n) {
        return m.create(data.toFloats(from, n), new Shape(n, data.channels(), data.height(), data.width()));
    }
}
