package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * One progress event.
 *
 * @param stage      what the task is doing, e.g. {@code "synthesis"} or {@code "stroke 2/3"}
 * @param step       steps done so far in this stage
 * @param totalSteps steps planned in this stage
 * @param metrics    small numeric facts, e.g. mean loss
 * @param previews   optional low-cost preview images (may be empty)
 */
public record Progress(String stage, int step, int totalSteps, Map<String, Double> metrics, List<Image> previews) {
    public Progress {
        requireNonNull(stage, "stage is null");
        metrics = Map.copyOf(requireNonNull(metrics, "metrics is null"));
        previews = List.copyOf(requireNonNull(previews, "previews is null"));
    }

    public double fraction() {
        return totalSteps <= 0 ? 0.0 : Math.min(1.0, (double) step / totalSteps);
    }
}
