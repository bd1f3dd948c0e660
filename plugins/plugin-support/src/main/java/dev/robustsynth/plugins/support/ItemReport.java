package dev.robustsynth.plugins.support;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.ItemOutcome;
import dev.robustsynth.spi.Prediction;

/**
 * One optimised image with the model's view of it before and after.
 *
 * @param planned  what was asked
 * @param outcome  what the synthesis returned
 * @param start    the classification of the start image
 * @param result   the classification of the returned image
 * @param stepsRun steps the synthesis took
 */
public record ItemReport(PlannedItem planned, ItemOutcome outcome, Prediction start, Prediction result,
                         int stepsRun) {
    public ItemReport {
        requireNonNull(planned, "planned is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(start, "start is null");
        requireNonNull(result, "result is null");
    }
}
