package dev.robustsynth.pluginhost;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How to start a {@link PluginHost}.
 *
 * @param classPathLoader  the loader whose {@code ServiceLoader} providers are the class-path plugins; it must see
 *                         the SPI, and it is the SPI loader of every external plugin. Class-path plugins are trusted
 *                         as part of the host's own build
 * @param pluginsDirectory a directory of external plugins: each {@code *.jar} in it, and each sub-directory of
 *                         jars, becomes one plugin class loader; empty or absent means none
 * @param allowlist        the {@link PluginAllowlist} file: an external jar loads only when it is listed there with
 *                         its SHA-256. Empty means {@value #DEFAULT_ALLOWLIST} in the plugins directory. A missing
 *                         file refuses every external jar. Put it where plugin droppers cannot write (a read-only
 *                         mount) for it to mean anything against them
 * @param properties       configuration; the host reads the keys {@code rsynth.task.<type>.plugin} (which plugin
 *                         serves a type claimed twice) and {@code rsynth.task.<type>.<key>} (a factory's settings)
 *                         and ignores all others
 */
public record PluginHostConfig(ClassLoader classPathLoader, Optional<Path> pluginsDirectory,
                               Optional<Path> allowlist, Map<String, String> properties) {
    /** Prefix of the per-task configuration keys. */
    public static final String TASK_PREFIX = "rsynth.task.";
    /** Suffix of the key that picks the plugin serving a task type. */
    public static final String PLUGIN_KEY = "plugin";
    /** File name of the allowlist looked for in the plugins directory when none is configured. */
    public static final String DEFAULT_ALLOWLIST = "plugins.allow";

    public PluginHostConfig {
        requireNonNull(classPathLoader, "classPathLoader is null");
        requireNonNull(pluginsDirectory, "pluginsDirectory is null");
        requireNonNull(allowlist, "allowlist is null");
        properties = Map.copyOf(requireNonNull(properties, "properties is null"));
    }

    /** A host whose allowlist is {@value #DEFAULT_ALLOWLIST} in the plugins directory. */
    public PluginHostConfig(ClassLoader classPathLoader, Optional<Path> pluginsDirectory,
                            Map<String, String> properties) {
        this(classPathLoader, pluginsDirectory, Optional.empty(), properties);
    }

    /** The allowlist file in effect for {@code directory}. */
    public Path allowlistFor(Path directory) {
        return allowlist.orElseGet(() -> directory.resolve(DEFAULT_ALLOWLIST));
    }
}
