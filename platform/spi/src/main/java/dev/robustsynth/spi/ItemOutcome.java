package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

/**
 * One optimised image.
 *
 * @param image        the returned iterate (the best one when the rule keeps the best)
 * @param startLoss    the objective at the start
 * @param finalLoss    the objective at the returned iterate
 * @param l2FromStart  ‖image − start‖₂
 * @param l2FromCentre ‖image − centre‖₂ (≤ eps for L2 balls)
 * @param steps        steps this item took: the rule's steps, or fewer when it stopped early
 * @param stoppedEarly whether it reached its {@link SynthesisItem#stopAtProbability()}
 */
public record ItemOutcome(Image image, double startLoss, double finalLoss, double l2FromStart, double l2FromCentre,
                          int steps, boolean stoppedEarly) {
    public ItemOutcome {
        requireNonNull(image, "image is null");
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be ≥ 0, got " + steps);
        }
    }
}
