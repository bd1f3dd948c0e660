package dev.robustsynth.trainer.export;

import java.util.List;

/**
 * Measured accuracies for the model card.
 *
 * @param testImages    images of the clean evaluation
 * @param cleanAccuracy clean test accuracy
 * @param robust        robust accuracies under PGD
 */
public record Metrics(int testImages, double cleanAccuracy, List<Robust> robust) {

    /** Robust accuracy under one attack. */
    public record Robust(String norm, double eps, int steps, double stepSize, int images, double accuracy) {
    }

    public Metrics {
        robust = List.copyOf(robust);
    }
}
