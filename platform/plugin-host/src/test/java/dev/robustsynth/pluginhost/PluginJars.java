package dev.robustsynth.pluginhost;

import dev.robustsynth.spi.RobustSynthPlugin;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars outside the reactor, the way a third party would: compiles Java sources with
 * {@code javax.tools.JavaCompiler} against the SPI alone and packs them, with their
 * {@code META-INF/services} entry, into a jar. Shared with the service's tests through the test-jar.
 */
public final class PluginJars {
    private PluginJars() {
    }

    /**
     * Compiles {@code sources} (fully qualified class name → source text) against the SPI, writes
     * {@code directory/jarName} and lists it with its SHA-256 in {@code directory/plugins.allow} (the default
     * allowlist, see {@link #allow}), as an operator installing a vetted plugin would.
     *
     * @param provider the class listed in {@code META-INF/services/dev.robustsynth.spi.RobustSynthPlugin}
     * @param manifest extra main attributes of the jar's manifest
     */
    public static Path build(Path directory, String jarName, Map<String, String> sources, String provider,
                             Map<String, String> manifest) {
        try {
            Path work = Files.createTempDirectory("plugin-src");
            List<File> files = new ArrayList<>();
            for (Map.Entry<String, String> source : sources.entrySet()) {
                Path file = work.resolve("src").resolve(source.getKey().replace('.', '/') + ".java");
                Files.createDirectories(file.getParent());
                Files.writeString(file, source.getValue());
                files.add(file.toFile());
            }
            Path classes = Files.createDirectories(work.resolve("classes"));
            JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
            if (compiler == null) {
                throw new IllegalStateException("no system Java compiler: run the tests on a JDK");
            }
            StringWriter diagnostics = new StringWriter();
            List<String> options = List.of("--release", "21", "-classpath", spiLocation().toString(),
                    "-d", classes.toString(), "-proc:none");
            var fileManager = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8);
            boolean ok = compiler.getTask(diagnostics, fileManager, null, options, null,
                    fileManager.getJavaFileObjectsFromFiles(files)).call();
            fileManager.close();
            if (!ok) {
                throw new IllegalStateException("plugin sources do not compile:\n" + diagnostics);
            }
            Files.createDirectories(directory);
            Path jar = directory.resolve(jarName);
            Manifest mf = new Manifest();
            mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.forEach((k, v) -> mf.getMainAttributes().put(new Attributes.Name(k), v));
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf);
                 Stream<Path> walk = Files.walk(classes)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
                out.putNextEntry(new JarEntry("META-INF/services/" + RobustSynthPlugin.class.getName()));
                out.write((provider + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
            allow(directory, jar);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lists {@code jar} with its current SHA-256 in {@code pluginsDirectory/plugins.allow}, replacing an earlier line
     * for the same name, in {@code sha256sum}'s format.
     */
    public static void allow(Path pluginsDirectory, Path jar) {
        String name = pluginsDirectory.relativize(jar).toString().replace(File.separatorChar, '/');
        Path file = pluginsDirectory.resolve(PluginHostConfig.DEFAULT_ALLOWLIST);
        try {
            List<String> lines = new ArrayList<>(Files.exists(file) ? Files.readAllLines(file) : List.of());
            lines.removeIf(line -> line.endsWith("  " + name));
            lines.add(sha256(jar) + "  " + name);
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lower-case hex SHA-256 of a file. */
    public static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The SPI's classes directory or jar, found from the loaded SPI class or, failing that, the class path. */
    public static Path spiLocation() {
        try {
            var source = RobustSynthPlugin.class.getProtectionDomain().getCodeSource();
            if (source != null && source.getLocation() != null) {
                Path path = Path.of(source.getLocation().toURI());
                if (Files.exists(path.resolve("dev/robustsynth/spi/RobustSynthPlugin.class"))
                        || path.toString().endsWith(".jar")) {
                    return path;
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to the class path
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.contains("rsynth-spi") || entry.replace('\\', '/').endsWith("platform/spi/target/classes")) {
                return Path.of(entry);
            }
        }
        throw new IllegalStateException("cannot find the SPI classes to compile plugins against");
    }

    /**
     * Sources of a small external plugin serving {@code type}: it echoes its {@code image} parameter, reports one
     * progress event, and for each class name in the {@code probe} parameter says in the result's metadata
     * ({@code "sees:<name>"}) whether its own class loader can load that class. Its factory declares one setting,
     * {@code greeting} (default {@code hello}), which it copies into the metadata.
     *
     * @param spiVersionExpression the Java expression {@code spiVersion()} returns, e.g. {@code SpiVersion.CURRENT}
     *                             or {@code "2.0"}
     */
    public static Map<String, String> echoPlugin(String pkg, String pluginName, String type,
                                                 String spiVersionExpression) {
        String plugin = """
                package %1$s;

                import dev.robustsynth.spi.*;
                import java.util.*;

                public final class ExternalPlugin implements RobustSynthPlugin {
                    @Override public String spiVersion() { return %2$s; }
                    @Override public String name() { return "%3$s"; }
                    @Override public Collection<TaskFactory<?>> taskFactories() { return List.of(new ExternalFactory()); }
                }
                """.formatted(pkg, spiVersionExpression, pluginName);
        String factory = """
                package %1$s;

                import dev.robustsynth.spi.*;
                import java.util.*;

                public final class ExternalFactory implements TaskFactory<ExternalFactory.Plan> {
                    record Plan(Optional<Image> image, List<?> probe, boolean ownLoader) { }
                    static final String SCHEMA = \"""
                        {"$schema": "https://json-schema.org/draft/2020-12/schema",
                         "type": "object",
                         "properties": {
                           "image": {"type": "object"},
                           "probe": {"type": "array", "items": {"type": "string"}}
                         },
                         "additionalProperties": false}
                        \""";
                    public static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());
                    private String greeting;

                    @Override public TaskDescriptor descriptor() {
                        return new TaskDescriptor("%2$s", "9.8.7", "external echo", SCHEMA, Set.of("image"),
                                List.of("image/png"));
                    }
                    @Override public ConfigDefinition configDefinition() {
                        return ConfigDefinition.of(ConfigKey.of("greeting", ConfigKey.Type.STRING, "hello",
                                "a word copied into the result's metadata"));
                    }
                    @Override public void init(PluginConfig config) { greeting = config.string("greeting"); EVENTS.add("init"); }
                    @Override public void close() { EVENTS.add("close"); }
                    @Override public Plan validate(ValidationContext context) throws InvalidParametersException {
                        List<?> probe = context.params().list("probe");
                        if (probe.contains("reject")) {
                            throw new InvalidParametersException("parameter 'probe' asks to be rejected");
                        }
                        return new Plan(context.image("image"), probe,
                                Thread.currentThread().getContextClassLoader() == ExternalFactory.class.getClassLoader());
                    }
                    @Override public SynthesisTask create(Plan plan) {
                        return context -> {
                            Map<String, Object> metadata = new LinkedHashMap<>();
                            metadata.put("greeting", greeting);
                            metadata.put("contextLoaderIsOwn",
                                    Thread.currentThread().getContextClassLoader() == ExternalFactory.class.getClassLoader());
                            metadata.put("validatedInOwnLoader", plan.ownLoader());
                            for (Object name : plan.probe()) {
                                metadata.put("sees:" + name, sees(String.valueOf(name)));
                            }
                            context.progress().report(new Progress("echo", 1, 1, Map.of(), List.of()));
                            List<ResultImage> images = new ArrayList<>();
                            plan.image().ifPresent(i -> images.add(new ResultImage("result", i, Map.of())));
                            return new TaskResult(images, metadata);
                        };
                    }
                    static boolean sees(String name) {
                        try {
                            Class.forName(name, false, ExternalFactory.class.getClassLoader());
                            return true;
                        } catch (ClassNotFoundException | LinkageError e) {
                            return false;
                        }
                    }
                }
                """.formatted(pkg, type);
        return Map.of(pkg + ".ExternalPlugin", plugin, pkg + ".ExternalFactory", factory);
    }

    /** Builds {@link #echoPlugin} into {@code directory/jarName}. */
    public static Path buildEchoPlugin(Path directory, String jarName, String pkg, String pluginName, String type,
                                       String spiVersionExpression, Map<String, String> manifest) {
        return build(directory, jarName, echoPlugin(pkg, pluginName, type, spiVersionExpression),
                pkg + ".ExternalPlugin", manifest);
    }
}
