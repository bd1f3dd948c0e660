package dev.robustsynth.pluginhost;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A plugin the host accepted.
 *
 * @param name       {@code RobustSynthPlugin.name()}
 * @param spiVersion the SPI version it was built for
 * @param source     where it came from
 * @param types      the task types it serves in this process (after conflicts were resolved)
 */
public record LoadedPlugin(String name, String spiVersion, PluginSource source, List<String> types) {
    public LoadedPlugin {
        requireNonNull(name, "name is null");
        requireNonNull(spiVersion, "spiVersion is null");
        requireNonNull(source, "source is null");
        types = List.copyOf(requireNonNull(types, "types is null"));
    }
}
