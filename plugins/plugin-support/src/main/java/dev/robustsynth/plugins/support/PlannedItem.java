package dev.robustsynth.plugins.support;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.SynthesisItem;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One image a task is about to optimise, with what its result should report.
 *
 * @param item        the synthesis item
 * @param targetClass the class whose probability the result reports (the CE target), if any
 * @param metadata    extra per-image facts (JSON-compatible values)
 */
public record PlannedItem(SynthesisItem item, OptionalInt targetClass, Map<String, Object> metadata) {
    public PlannedItem {
        requireNonNull(item, "item is null");
        requireNonNull(targetClass, "targetClass is null");
        metadata = Map.copyOf(requireNonNull(metadata, "metadata is null"));
    }

    public static PlannedItem toward(SynthesisItem item, int targetClass, Map<String, Object> metadata) {
        return new PlannedItem(item, OptionalInt.of(targetClass), metadata);
    }
}
