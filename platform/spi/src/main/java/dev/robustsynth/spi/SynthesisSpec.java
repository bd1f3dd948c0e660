package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A batch of images to optimise together with one step rule.
 *
 * @param items         the images; at least one
 * @param rule          the PGD schedule
 * @param progressEvery report progress every this many steps (0 = only at the end)
 * @param stage         the progress stage name, e.g. {@code "synthesis"}
 */
public record SynthesisSpec(List<SynthesisItem> items, StepRule rule, int progressEvery, String stage) {
    public SynthesisSpec {
        items = List.copyOf(requireNonNull(items, "items is null"));
        requireNonNull(rule, "rule is null");
        requireNonNull(stage, "stage is null");
        if (items.isEmpty()) {
            throw new IllegalArgumentException("a synthesis needs at least one item");
        }
        if (progressEvery < 0) {
            throw new IllegalArgumentException("progressEvery must be ≥ 0, got " + progressEvery);
        }
    }
}
