package dev.robustsynth.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Optional;

/**
 * One image of a result. {@code bytes} holds the encoded image (PNG or JPEG, as {@code mediaType}
 * says): decoded from the inline base64 {@code data}, or read from a {@code file:} {@code uri}.
 * It is empty when the image travelled by a reference this machine cannot read; then
 * {@code uri} says where it is and {@code unavailableReason} why it was not read.
 */
public record OutcomeImage(String role, int index, String mediaType, int width, int height, int channels,
                           byte[] bytes, Optional<URI> uri, Optional<String> unavailableReason,
                           JsonNode metadata) {

    public OutcomeImage {
        requireNonNull(role, "role is null");
        requireNonNull(mediaType, "mediaType is null");
        requireNonNull(bytes, "bytes is null");
        requireNonNull(uri, "uri is null");
        requireNonNull(unavailableReason, "unavailableReason is null");
        requireNonNull(metadata, "metadata is null");
    }

    public boolean hasBytes() {
        return bytes.length > 0;
    }
}
