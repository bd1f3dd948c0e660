package dev.robustsynth.service.testing;

import dev.robustsynth.pluginhost.PluginJars;
import dev.robustsynth.plugins.echo.EchoPlugin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged service ({@code target/quarkus-app}, built by the {@code package} phase before these tests run) in a
 * JVM of its own, for tests that kill it: {@link #start} launches it with {@code key=value} settings as system
 * properties and with the test-echo plugin installed in its plugins directory (allowlisted with its SHA-256, as an
 * operator would). It is ready once it logs {@value #READY}; {@link #close} stops it with SIGTERM, which Quarkus
 * answers with a graceful shutdown.
 */
public final class ServiceProcess implements AutoCloseable {
    static final String READY = "consuming ";
    private static final Pattern HTTP_PORT = Pattern.compile("Listening on: http://[^:]+:(\\d+)");
    private static final Path APP = Path.of("target", "quarkus-app", "quarkus-run.jar");

    private final Process process;
    private final Path log;

    private ServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * The settings every service JVM of a test needs: the test models, the broker, quick failure detection in the
     * group (6 s sessions), its instance name, its plugins and results directories under {@code work}, a one-second
     * shutdown grace and a free HTTP port.
     */
    public static Map<String, String> settings(Path work, String bootstrap, String instance) {
        Map<String, String> s = new HashMap<>(TestModels.config(work, false));
        if (bootstrap != null) {
            s.put("kafka.bootstrap.servers", bootstrap);
        }
        s.put("kafka.session.timeout.ms", "6000");
        s.put("kafka.heartbeat.interval.ms", "500");
        s.put("rsynth.instance", instance);
        s.put("rsynth.plugins-dir", work.resolve("plugins").toString());
        s.put("rsynth.results-dir", work.resolve("results").toString());
        s.put("rsynth.shutdown-grace", "PT1S");
        s.put("quarkus.http.port", "0");
        return s;
    }

    /**
     * Starts a service JVM logging to {@code log} (one file per process); returns once it is ready (or fails after
     * {@code timeout}).
     */
    public static ServiceProcess start(Path log, Map<String, String> settings, Duration timeout) {
        return start(log, settings, Map.of(), timeout);
    }

    /**
     * {@link #start(Path, Map, Duration)} with {@code environment} added to this JVM's environment for the service
     * process (e.g. {@code KAFKA_*} variables, the way a container is configured).
     */
    public static ServiceProcess start(Path log, Map<String, String> settings, Map<String, String> environment,
                                       Duration timeout) {
        if (!Files.isRegularFile(APP)) {
            throw new IllegalStateException(APP.toAbsolutePath() + " is missing: these tests run after the package "
                    + "phase (mvn verify)");
        }
        installEchoPlugin(Path.of(settings.get("rsynth.plugins-dir")));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx384m", "-Xss4m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true"));
        settings.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", APP.toAbsolutePath().toString()));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            ServiceProcess child = new ServiceProcess(process, log);
            child.awaitReady(timeout);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test-echo plugin (its jar, or a jar of its classes) in the plugins directory, on the allowlist. */
    private static synchronized void installEchoPlugin(Path pluginsDir) {
        try {
            Files.createDirectories(pluginsDir);
            Path jar = pluginsDir.resolve("rsynth-plugin-test-echo.jar");
            if (!Files.exists(jar)) {
                Path location = Path.of(EchoPlugin.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (Files.isDirectory(location)) {
                    jarDirectory(location, jar);
                } else {
                    Files.copy(location, jar);
                }
                PluginJars.allow(pluginsDir, jar);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void jarDirectory(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             var files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }

    /**
     * The HTTP port the service listens on, from its log. Quarkus logs it a little after the consumer is ready (which
     * {@link #start} waits for), so this waits for the line, up to a minute.
     */
    public int httpPort() {
        try {
            awaitLog("Listening on: http", Duration.ofMinutes(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the HTTP port", e);
        }
        Matcher m = HTTP_PORT.matcher(log());
        if (!m.find()) {
            throw new IllegalStateException("no HTTP port in the service log:\n" + tail());
        }
        return Integer.parseInt(m.group(1));
    }

    private void awaitReady(Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < until) {
                if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(READY)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("the service process exited with " + process.exitValue()
                            + " before it was ready; its log ends:\n" + tail());
                }
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        throw new IllegalStateException("the service process was not ready within " + timeout + "; its log ends:\n"
                + tail());
    }

    /** The last few thousand characters of the log. */
    public String tail() {
        String text = log();
        return text.substring(Math.max(0, text.length() - 4000));
    }

    /** Waits until the log contains {@code text}; false after the timeout. */
    public boolean awaitLog(String text, Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (log().contains(text)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** The whole log so far. */
    public String log() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** Waits for the process to end on its own; its exit code, or -1 when it is still running after the timeout. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** kill -9. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Graceful stop: SIGTERM, and waits. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
