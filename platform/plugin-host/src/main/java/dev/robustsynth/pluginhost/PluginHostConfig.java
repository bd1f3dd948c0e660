package dev.robustsynth.pluginhost;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * How to start a {@link PluginHost}.
 *
 * @param classPathLoader  the loader whose {@code ServiceLoader} providers are the class-path plugins; it must see
 *                         the SPI, and it is the SPI loader of every external plugin
 * @param pluginsDirectory a directory of external plugins: each {@code *.jar} in it, and each sub-directory of
 *                         jars, becomes one plugin class loader; empty or absent means none
 * @param properties       configuration; the host reads the keys {@code rsynth.task.<type>.plugin} (which plugin
 *                         serves a type claimed twice) and {@code rsynth.task.<type>.<key>} (a factory's settings)
 *                         and ignores all others
 */
public record PluginHostConfig(ClassLoader classPathLoader, Optional<Path> pluginsDirectory,
                               Map<String, String> properties) {
    /** Prefix of the per-task configuration keys. */
    public static final String TASK_PREFIX = "rsynth.task.";
    /** Suffix of the key that picks the plugin serving a task type. */
    public static final String PLUGIN_KEY = "plugin";

    public PluginHostConfig {
        requireNonNull(classPathLoader, "classPathLoader is null");
        requireNonNull(pluginsDirectory, "pluginsDirectory is null");
        properties = Map.copyOf(requireNonNull(properties, "properties is null"));
    }
}
