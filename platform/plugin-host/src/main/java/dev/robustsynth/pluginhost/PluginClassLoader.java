package dev.robustsynth.pluginhost;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The class loader of one external plugin: it sees the plugin's own jars, the JDK (through the platform class
 * loader) and the SPI package {@code dev.robustsynth.spi} (through the host's loader), and nothing else of the host
 * — no Kafka, Jackson, Quarkus, ONNX Runtime or engine class. SPI classes always come from the host, even when a
 * plugin jar bundles its own copy, so the host and the plugin agree on every SPI type.
 */
public final class PluginClassLoader extends URLClassLoader {
    /** Package prefixes a plugin shares with the host, in class-name form. */
    public static final List<String> SHARED_PACKAGES = List.of("dev.robustsynth.spi.");

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final ClassLoader spiLoader;
    private final Optional<Path> ownedDirectory;

    /**
     * @param name      the plugin's name for diagnostics (the jar or directory)
     * @param urls      the plugin's jars
     * @param spiLoader the loader that defines the host's SPI classes
     */
    public PluginClassLoader(String name, List<URL> urls, ClassLoader spiLoader) {
        this(name, urls, spiLoader, Optional.empty());
    }

    /** As above; {@code ownedDirectory} (the verified private copies of the jars) is deleted on {@link #close}. */
    PluginClassLoader(String name, List<URL> urls, ClassLoader spiLoader, Optional<Path> ownedDirectory) {
        super(name, urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        this.spiLoader = requireNonNull(spiLoader, "spiLoader is null");
        this.ownedDirectory = requireNonNull(ownedDirectory, "ownedDirectory is null");
    }

    /** Whether a class of this name is shared with the host (an SPI type). */
    public static boolean isShared(String className) {
        return SHARED_PACKAGES.stream().anyMatch(className::startsWith);
    }

    private static boolean isSharedResource(String resource) {
        String asClassName = resource.replace('/', '.');
        return isShared(asClassName);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            return spiLoader.loadClass(name);
        }
        // parent is the platform loader (the JDK), then this plugin's own jars
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        if (isSharedResource(name)) {
            return spiLoader.getResource(name);
        }
        return super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isSharedResource(name)) {
            return spiLoader.getResources(name);
        }
        return super.getResources(name);
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            if (ownedDirectory.isPresent()) {
                deleteTree(ownedDirectory.get());
            }
        }
    }

    static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
