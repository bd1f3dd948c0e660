package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

/** A classification of one image: softmax probabilities in logit order. */
public record Prediction(float[] probabilities) {
    public Prediction {
        probabilities = requireNonNull(probabilities, "probabilities is null").clone();
    }

    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    public float probability(int classIndex) {
        return probabilities[classIndex];
    }

    public int topClass() {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        return best;
    }
}
