package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

/** The perturbation set a model was adversarially trained on. */
public record ThreatModel(Norm norm, double eps) {
    public ThreatModel {
        requireNonNull(norm, "norm is null");
        if (!(eps > 0)) {
            throw new IllegalArgumentException("eps must be positive, got " + eps);
        }
    }
}
