package dev.robustsynth.engine.optim;

/**
 * One synthesis item checked against its model and flattened to the arrays the optimiser and the synthesis graph
 * read. Every array has the model's sizes; none is shared with the caller. Owned by one scheduler; never mutated.
 *
 * @param start             the first iterate, CHW ({@code D = C·H·W} values)
 * @param centre            centre of the eps ball, CHW
 * @param mask              per-value weight of the gradient, expanded to CHW; 0 marks a frozen value (kept
 *                          bit-identical to {@code start}); {@code null} when everything may change
 * @param anchorReference   reference of the pixel-anchor term, CHW; {@code null} without an anchor
 * @param anchorWeight      λ·w expanded to CHW; {@code null} without an anchor
 * @param target            soft label, K values (zeros when the objective has no cross-entropy term)
 * @param ceWeight          weight of the cross-entropy term (0 without a target)
 * @param logitWeights      K values (zeros when unused)
 * @param activationWeights per graph layer ({@link Layers#graphLayers}), its weights or {@code null} when unused
 */
public record ItemPlan(float[] start, float[] centre, float[] mask, float[] anchorReference, float[] anchorWeight,
                       float[] target, float ceWeight, float[] logitWeights, float[][] activationWeights) {

    public int size() {
        return start.length;
    }

    public boolean hasAnchor() {
        return anchorWeight != null;
    }
}
