package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

/**
 * The projected-gradient schedule shared by all items of a synthesis.
 *
 * @param norm     the step and ball norm
 * @param eps      radius of the ball around each item's centre
 * @param stepSize α of each step (in the norm's units)
 * @param steps    number of steps
 * @param keepBest return the iterate with the lowest loss instead of the last one
 */
public record StepRule(Norm norm, double eps, double stepSize, int steps, boolean keepBest) {
    public StepRule {
        requireNonNull(norm, "norm is null");
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be positive and finite, got " + eps);
        }
        if (!(stepSize > 0) || Double.isInfinite(stepSize)) {
            throw new IllegalArgumentException("step size must be positive and finite, got " + stepSize);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be ≥ 0, got " + steps);
        }
    }
}
