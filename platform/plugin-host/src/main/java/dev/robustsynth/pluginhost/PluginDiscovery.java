package dev.robustsynth.pluginhost;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.RobustSynthPlugin;
import dev.robustsynth.spi.SpiVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * Finds plugins on the class path and in a plugins directory and checks the SPI version of each. A jar of the plugins
 * directory is first checked against the {@link PluginAllowlist} (name and SHA-256) and copied, while hashed, into a
 * private directory the plugin then loads from, so the bytes that run are the bytes that were checked. A plugin
 * that is not allowed, built for another SPI major version, or fails to load is refused with one log line and left
 * out; discovery goes on with the others.
 */
final class PluginDiscovery {
    /** Optional manifest attribute of a plugin jar, checked before any of its classes is loaded. */
    static final String MANIFEST_SPI_VERSION = "RobustSynth-Spi-Version";

    private static final System.Logger LOG = System.getLogger(PluginHost.class.getName());

    private final List<DiscoveredPlugin> accepted = new ArrayList<>();
    private final List<RefusedPlugin> refused = new ArrayList<>();
    private final List<PluginClassLoader> loaders = new ArrayList<>();

    List<DiscoveredPlugin> accepted() {
        return accepted;
    }

    List<RefusedPlugin> refused() {
        return refused;
    }

    /** The class loaders of external plugins that were accepted; the host closes them at shutdown. */
    List<PluginClassLoader> loaders() {
        return loaders;
    }

    void scanClassPath(ClassLoader loader) {
        load(ServiceLoader.load(RobustSynthPlugin.class, loader), PluginSource.classPath(loader), "class path");
    }

    /**
     * @param allowlistFile the allowlist in effect, for messages
     * @param allowlist     its entries; empty when the file does not exist, which refuses every jar
     */
    void scanDirectory(Path directory, ClassLoader spiLoader, Path allowlistFile, Optional<PluginAllowlist> allowlist) {
        if (!Files.isDirectory(directory)) {
            LOG.log(Level.INFO, "plugins directory {0} does not exist; no external plugins", directory);
            return;
        }
        for (Path entry : listSorted(directory)) {
            List<Path> jars = Files.isDirectory(entry) ? listSorted(entry).stream().filter(PluginDiscovery::isJar).toList()
                    : isJar(entry) ? List.of(entry) : List.of();
            if (jars.isEmpty()) {
                continue;
            }
            Optional<VerifiedCopies> copies = verify(directory, entry, jars, allowlistFile, allowlist);
            if (copies.isPresent()) {
                scanExternal(entry, copies.get(), spiLoader);
            }
        }
    }

    /** The private copies of a plugin's jars, in the order of the originals, inside their own directory. */
    private record VerifiedCopies(Path directory, List<Path> jars) {
    }

    private Optional<VerifiedCopies> verify(Path pluginsDirectory, Path location, List<Path> jars, Path allowlistFile,
                                            Optional<PluginAllowlist> allowlist) {
        String fileName = location.getFileName().toString();
        if (allowlist.isEmpty()) {
            refuse(fileName, location.toString(), Optional.empty(), "no plugin allowlist exists at " + allowlistFile
                    + "; an external jar loads only when listed there with its SHA-256 (sha256sum's format)");
            return Optional.empty();
        }
        Path copyDirectory;
        try {
            copyDirectory = Files.createTempDirectory("rsynth-plugin-");
        } catch (IOException e) {
            refuse(fileName, location.toString(), Optional.empty(), "no private copy could be made: " + e);
            return Optional.empty();
        }
        List<Path> copies = new ArrayList<>();
        String problem = null;
        for (Path jar : jars) {
            String name = pluginsDirectory.relativize(jar).toString().replace('\\', '/');
            Path copy = copyDirectory.resolve(copies.size() + "-" + jar.getFileName());
            String digest;
            try {
                digest = copyHashing(jar, copy);
            } catch (IOException e) {
                problem = "'" + name + "' cannot be read: " + e;
                break;
            }
            Optional<String> pinned = allowlist.get().sha256(name);
            if (pinned.isEmpty()) {
                problem = "'" + name + "' (SHA-256 " + digest + ") is not listed in the plugin allowlist "
                        + allowlistFile;
                break;
            }
            if (!pinned.get().equals(digest)) {
                problem = "'" + name + "' has SHA-256 " + digest + " but the plugin allowlist " + allowlistFile
                        + " pins " + pinned.get() + ": the jar is not the one that was vetted";
                break;
            }
            copies.add(copy);
        }
        if (problem != null) {
            deleteQuietly(copyDirectory);
            refuse(fileName, location.toString(), Optional.empty(), problem);
            return Optional.empty();
        }
        return Optional.of(new VerifiedCopies(copyDirectory, copies));
    }

    private static String copyHashing(Path source, Path target) throws IOException {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(source), sha256)) {
            Files.copy(in, target);
        }
        return HexFormat.of().formatHex(sha256.digest());
    }

    private static void deleteQuietly(Path directory) {
        try {
            PluginClassLoader.deleteTree(directory);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot delete {0}: {1}", directory, e.toString());
        }
    }

    private void scanExternal(Path location, VerifiedCopies copies, ClassLoader spiLoader) {
        String fileName = location.getFileName().toString();
        Optional<String> declared = manifestSpiVersion(copies.jars());
        if (declared.isPresent() && !compatible(declared.get())) {
            deleteQuietly(copies.directory());
            refuse(fileName, location.toString(), declared, "it was built for SPI " + declared.get()
                    + " but this host implements SPI " + SpiVersion.CURRENT + " (major versions differ)");
            return;
        }
        PluginClassLoader loader = new PluginClassLoader(fileName, urls(copies.jars()), spiLoader,
                Optional.of(copies.directory()));
        int before = accepted.size();
        load(ServiceLoader.load(RobustSynthPlugin.class, loader), new PluginSource(Optional.of(location), loader),
                fileName);
        if (accepted.size() > before) {
            loaders.add(loader);
        } else {
            closeQuietly(loader);
        }
    }

    private void load(ServiceLoader<RobustSynthPlugin> serviceLoader, PluginSource source, String fallbackName) {
        Iterator<RobustSynthPlugin> it = serviceLoader.iterator();
        for (int guard = 0; guard < 10_000; guard++) {
            RobustSynthPlugin plugin;
            try {
                if (!it.hasNext()) {
                    return;
                }
                plugin = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                refuse(fallbackName, source.describe(), Optional.empty(), "its provider could not be loaded: " + e);
                continue;
            }
            check(plugin, source, fallbackName);
        }
    }

    private void check(RobustSynthPlugin plugin, PluginSource source, String fallbackName) {
        String name;
        String version;
        try {
            name = plugin.name();
            version = plugin.spiVersion();
        } catch (RuntimeException | LinkageError e) {
            refuse(fallbackName + " (" + plugin.getClass().getName() + ")", source.describe(), Optional.empty(),
                    "it failed to report its name and SPI version: " + e);
            return;
        }
        if (name == null || name.isBlank()) {
            refuse(fallbackName + " (" + plugin.getClass().getName() + ")", source.describe(),
                    Optional.ofNullable(version), "its name() is blank");
            return;
        }
        if (version == null || !compatible(version)) {
            refuse(name, source.describe(), Optional.ofNullable(version), "it was built for SPI " + version
                    + " but this host implements SPI " + SpiVersion.CURRENT + " (major versions differ)");
            return;
        }
        accepted.add(new DiscoveredPlugin(plugin, name, version, source));
        LOG.log(Level.INFO, "found plugin ''{0}'' (SPI {1}) on {2}", name, version, source.describe());
    }

    private static boolean compatible(String version) {
        try {
            return SpiVersion.isCompatible(version);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void refuse(String name, String source, Optional<String> version, String reason) {
        refused.add(new RefusedPlugin(name, source, version, reason));
        LOG.log(Level.WARNING, "refusing plugin ''{0}'' from {1}: {2}; continuing without it", name, source, reason);
    }

    private static Optional<String> manifestSpiVersion(List<Path> jars) {
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                Manifest manifest = file.getManifest();
                String value = manifest == null ? null : manifest.getMainAttributes().getValue(MANIFEST_SPI_VERSION);
                if (value != null) {
                    return Optional.of(value.strip());
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot read the manifest of {0}: {1}", jar, e.toString());
            }
        }
        return Optional.empty();
    }

    private static boolean isJar(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar");
    }

    private static List<Path> listSorted(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list plugins directory " + directory, e);
        }
    }

    private static List<URL> urls(List<Path> jars) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("bad plugin jar path " + jar, e);
            }
        }
        return urls;
    }

    static void closeQuietly(PluginClassLoader loader) {
        requireNonNull(loader, "loader is null");
        try {
            loader.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot close the class loader of {0}: {1}", loader.getName(), e.toString());
        }
    }
}
