package dev.robustsynth.pluginhost;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A plugin the host found and did not load.
 *
 * @param name       the plugin's name, or its jar's file name when the plugin could not even say its name
 * @param source     where it was found
 * @param spiVersion the SPI version it was built for, when known
 * @param reason     one sentence
 */
public record RefusedPlugin(String name, String source, Optional<String> spiVersion, String reason) {
    public RefusedPlugin {
        requireNonNull(name, "name is null");
        requireNonNull(source, "source is null");
        requireNonNull(spiVersion, "spiVersion is null");
        requireNonNull(reason, "reason is null");
    }
}
