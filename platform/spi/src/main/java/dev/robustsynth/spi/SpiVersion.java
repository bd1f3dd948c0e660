package dev.robustsynth.spi;

/**
 * Version of this SPI. A plugin reports the version it was compiled against through
 * {@link RobustSynthPlugin#spiVersion()}; the host refuses a plugin whose major version differs from its own.
 */
public final class SpiVersion {
    /**
     * The SPI version, {@code major.minor}. It is a compile-time constant on purpose: a plugin that returns it
     * from {@link RobustSynthPlugin#spiVersion()} carries the value it was built with inside its own class file.
     * 2.0: {@link TaskFactory#validate} receives a {@link ValidationContext} with decoded images and returns the plan
     * that {@link TaskFactory#create} takes; {@code TaskContext.image}, {@code postInit} and task requirements are gone.
     */
    public static final String CURRENT = "2.0";

    private SpiVersion() {
    }

    /** The major part of a {@code major.minor} version string. */
    public static int major(String version) {
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("SPI version is empty");
        }
        String head = version.strip().split("\\.", 2)[0];
        try {
            return Integer.parseInt(head);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("SPI version '" + version + "' is not of the form major.minor", e);
        }
    }

    /** Whether a plugin built against {@code pluginVersion} can run on this SPI. */
    public static boolean isCompatible(String pluginVersion) {
        return major(pluginVersion) == major(CURRENT);
    }
}
