package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The result of a synthesis, one entry per item in the spec's order.
 *
 * @param items     per-item outcomes
 * @param stepsRun  steps actually taken
 * @param tickCount scheduler ticks the synthesis took part in (≥ stepsRun when batched with others)
 */
public record SynthesisOutcome(List<ItemOutcome> items, int stepsRun, long tickCount) {
    public SynthesisOutcome {
        items = List.copyOf(requireNonNull(items, "items is null"));
    }

    public List<Image> images() {
        return items.stream().map(ItemOutcome::image).toList();
    }
}
