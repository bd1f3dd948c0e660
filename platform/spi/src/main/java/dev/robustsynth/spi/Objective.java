package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
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
 *
 * <p>The arrays are copied in, and every accessor returns copies, so an {@code Objective} is immutable.
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
        activationWeights = Collections.unmodifiableMap(copy);
    }

    @Override
    public Optional<float[]> target() {
        return target.map(float[]::clone);
    }

    @Override
    public Optional<float[]> logitWeights() {
        return logitWeights.map(float[]::clone);
    }

    /** A copy of the activation weights, by layer. */
    @Override
    public Map<String, float[]> activationWeights() {
        Map<String, float[]> copy = new LinkedHashMap<>();
        activationWeights.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** The activation weights of one layer (a copy), if the objective weights it. */
    public Optional<float[]> activationWeights(String layer) {
        return Optional.ofNullable(activationWeights.get(layer)).map(float[]::clone);
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
