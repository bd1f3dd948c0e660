package dev.robustsynth.spi;

/** A model's suggested PGD settings for synthesis; tasks use them when a request leaves them out. */
public record SynthesisDefaults(double eps, double stepSize, int steps) {
    public SynthesisDefaults {
        if (!(eps > 0) || !(stepSize > 0) || steps <= 0) {
            throw new IllegalArgumentException(
                    "synthesis defaults must be positive, got eps " + eps + ", step " + stepSize + ", steps " + steps);
        }
    }
}
