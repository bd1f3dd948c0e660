package dev.robustsynth.pluginhost;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a plugin came from.
 *
 * @param location    the jar or directory of an external plugin; empty for a plugin on the host's class path
 * @param classLoader the loader its classes live in
 */
public record PluginSource(Optional<Path> location, ClassLoader classLoader) {
    public PluginSource {
        requireNonNull(location, "location is null");
        requireNonNull(classLoader, "classLoader is null");
    }

    public static PluginSource classPath(ClassLoader loader) {
        return new PluginSource(Optional.empty(), loader);
    }

    public boolean external() {
        return location.isPresent();
    }

    /** {@code "class path"} or the jar's path, for messages. */
    public String describe() {
        return location.map(Path::toString).orElse("class path");
    }

    @Override
    public String toString() {
        return describe();
    }
}
