package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * One output image.
 *
 * @param role     what the image is, e.g. {@code "result"}, {@code "seed"}, {@code "start"}
 * @param image    the pixels
 * @param metadata per-image facts as JSON-compatible values, e.g. start and final class probabilities, steps,
 *                 L2 distance moved
 */
public record ResultImage(String role, Image image, Map<String, Object> metadata) {
    public ResultImage {
        requireNonNull(role, "role is null");
        requireNonNull(image, "image is null");
        metadata = Map.copyOf(requireNonNull(metadata, "metadata is null"));
    }
}
