package dev.robustsynth.spi;

import java.util.Collection;
import java.util.List;

/**
 * Entry point of a plugin jar, listed in {@code META-INF/services/dev.robustsynth.spi.RobustSynthPlugin}.
 *
 * <p>A plugin is a bag of factories. Every capability beyond {@link #spiVersion()} and {@link #name()} is a
 * default method returning an empty collection, so later SPI versions can add capabilities without breaking
 * plugins built for earlier ones.
 */
public interface RobustSynthPlugin {

    /**
     * The SPI version this plugin was compiled against. Implement it as {@code return SpiVersion.CURRENT;}: javac
     * inlines the constant, so the value is the one of the SPI jar on the plugin's build path, not the host's.
     */
    String spiVersion();

    /** A short, stable name for logs and provenance, e.g. {@code "rsynth-generate"}. */
    String name();

    /** The task types this plugin serves. */
    default Collection<TaskFactory<?>> taskFactories() {
        return List.of();
    }
}
