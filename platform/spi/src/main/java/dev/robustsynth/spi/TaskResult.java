package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * What a task returns. The host encodes the images, adds provenance (plugin, model and checksum, parameters,
 * seed, timings, runtime) and publishes the result.
 *
 * @param images   the output images in a stable order
 * @param metadata task-level facts as JSON-compatible values (numbers, strings, booleans, lists, maps)
 */
public record TaskResult(List<ResultImage> images, Map<String, Object> metadata) {
    public TaskResult {
        images = List.copyOf(requireNonNull(images, "images is null"));
        metadata = Map.copyOf(requireNonNull(metadata, "metadata is null"));
    }
}
