package dev.robustsynth.pluginhost;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.RobustSynthPlugin;

/** A plugin that passed the SPI version check, not yet resolved against the others. */
record DiscoveredPlugin(RobustSynthPlugin plugin, String name, String spiVersion, PluginSource source) {
    DiscoveredPlugin {
        requireNonNull(plugin, "plugin is null");
        requireNonNull(name, "name is null");
        requireNonNull(spiVersion, "spiVersion is null");
        requireNonNull(source, "source is null");
    }
}
