package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What one image's steps minimise:
 * {@code ceWeight·CE(logits, target) − Σ logitWeights·logits − Σ_L Σ activationWeights[L]·L}.
 *
 * @param target            soft label over the classes for the cross-entropy term; empty for none
 * @param ceWeight          weight of the cross-entropy term
 * @param logitWeights      linear weights on the logits (a positive weight raises that logit); empty for none
 * @param activationWeights per exposed layer, linear weights over the layer's values (a positive weight raises
 *                          the activation), flattened in the layer's order
 */
public record Objective(Optional<float[]> target, float ceWeight, Optional<float[]> logitWeights,
                        Map<String, float[]> activationWeights) {

    public Objective {
        requireNonNull(target, "target is null");
        requireNonNull(logitWeights, "logitWeights is null");
        if (!Float.isFinite(ceWeight)) {
            throw new IllegalArgumentException("ceWeight must be finite, got " + ceWeight);
        }
        target = target.map(float[]::clone);
        logitWeights = logitWeights.map(float[]::clone);
        Map<String, float[]> copy = new LinkedHashMap<>();
        requireNonNull(activationWeights, "activationWeights is null").forEach((k, v) -> copy.put(k, v.clone()));
        activationWeights = java.util.Collections.unmodifiableMap(copy);
    }

    /** Cross-entropy toward one class. */
    public static Objective towardClass(int classIndex, int numClasses) {
        if (classIndex < 0 || classIndex >= numClasses) {
            throw new IllegalArgumentException("class " + classIndex + " outside [0," + numClasses + ")");
        }
        float[] target = new float[numClasses];
        target[classIndex] = 1f;
        return new Objective(Optional.of(target), 1f, Optional.empty(), Map.of());
    }

    /** Raise a weighted sum of one layer's activations. */
    public static Objective raiseActivation(String layer, float[] weights) {
        return new Objective(Optional.empty(), 0f, Optional.empty(), Map.of(layer, weights));
    }

    /** Raise one layer's activations and also pull toward a class. */
    public Objective withTarget(int classIndex, int numClasses, float weight) {
        float[] t = new float[numClasses];
        t[classIndex] = 1f;
        return new Objective(Optional.of(t), weight, logitWeights, activationWeights);
    }
}
