package dev.robustsynth.engine.optim;

import dev.robustsynth.pgd.PixelTerms;

/**
 * One synthesis item checked against its model and flattened to the arrays the step rules and the synthesis graph
 * read. Every array has the model's sizes; none is shared with the caller. Owned by one scheduler; never mutated.
 *
 * @param pixels            the pixel-space terms the step rules read (start, centre, mask, anchors, constraint,
 *                          early stop)
 * @param stopClass         the class whose probability early stop watches; -1 without early stop
 * @param target            soft label, K values (zeros when the objective has no cross-entropy term)
 * @param ceWeight          weight of the cross-entropy term (0 without a target)
 * @param logitWeights      K values (zeros when unused)
 * @param activationWeights per graph layer ({@link Layers#graphLayers}), its weights or {@code null} when unused
 */
public record ItemPlan(PixelTerms pixels, int stopClass, float[] target, float ceWeight, float[] logitWeights,
                       float[][] activationWeights) {

    public float[] start() {
        return pixels.start();
    }

    public float[] centre() {
        return pixels.centre();
    }

    public float[] mask() {
        return pixels.mask();
    }

    public float[] anchorWeight() {
        return pixels.anchorWeight();
    }

    public int size() {
        return pixels.start().length;
    }
}
