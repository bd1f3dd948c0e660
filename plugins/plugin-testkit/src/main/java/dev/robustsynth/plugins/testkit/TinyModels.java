package dev.robustsynth.plugins.testkit;

import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.SynthesisDefaults;
import dev.robustsynth.spi.ThreatModel;
import java.util.List;
import java.util.Optional;

/** Ready-made {@link LinearSoftmaxModel}s for plugin tests. */
public final class TinyModels {
    /** Class names of {@link #grey}: one with a space, to exercise case-insensitive lookup. */
    public static final List<String> GREY_CLASSES = List.of("t-shirt", "trouser", "ankle boot");

    private TinyModels() {
    }

    /**
     * A 1×8×8 model with three classes, each driven mostly by one of four Haar features, with two-component
     * Gaussian seeds per class and defaults eps 3, step 0.5, 20 steps.
     */
    public static LinearSoftmaxModel grey(long seed) {
        LinearWeights weights = LinearWeights.random(3, 1, 8, 8, 4, seed).tiedToClasses(6.0, 0.5);
        return new LinearSoftmaxModel("tiny-grey", GREY_CLASSES, 1, 8, 8, weights,
                Optional.of(GaussianSeeds.random(3, 2, 1, 8, 8, 0.15, seed + 1)),
                new SynthesisDefaults(3.0, 0.5, 20), Optional.of(new ThreatModel(Norm.L2, 0.5)));
    }

    /** A 3×8×8 model with four classes, random weights and no seed statistics. */
    public static LinearSoftmaxModel colourWithoutSeeds(long seed) {
        LinearWeights weights = LinearWeights.random(4, 3, 8, 8, 6, seed);
        return new LinearSoftmaxModel("tiny-colour", List.of("airplane", "automobile", "bird", "cat"), 3, 8, 8,
                weights, Optional.empty(), new SynthesisDefaults(4.0, 0.5, 20), Optional.empty());
    }
}
