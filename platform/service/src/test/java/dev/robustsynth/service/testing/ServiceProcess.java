package dev.robustsynth.service.testing;

import dev.robustsynth.service.ServiceAssembly;
import dev.robustsynth.service.config.RsynthConfig;
import dev.robustsynth.service.kafka.KafkaSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
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
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * The whole service ({@link ServiceAssembly}) in a separate JVM, for tests that kill it: {@link #start} launches
 * this class's {@link #main} on the test class path with {@code key=value} settings ({@code kafka.*} keys become
 * client settings, the rest the {@code rsynth.*} configuration). The child prints {@value #READY} once started and
 * stops gracefully when its standard input closes.
 */
public final class ServiceProcess implements AutoCloseable {
    static final String READY = "RSYNTH-SERVICE-READY";

    private final Process process;
    private final Path log;

    private ServiceProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        org.jboss.logmanager.Logger root = org.jboss.logmanager.LogContext.getLogContext().getLogger("");
        root.addHandler(new org.jboss.logmanager.handlers.ConsoleHandler(
                new org.jboss.logmanager.formatters.PatternFormatter("%d{HH:mm:ss,SSS} %-5p [%c{1}] (%t) %s%e%n")));
        root.setLevel(java.util.logging.Level.INFO);
        org.jboss.logmanager.LogContext.getLogContext().getLogger("org.apache.kafka")
                .setLevel(java.util.logging.Level.WARNING);
        Map<String, String> rsynth = new HashMap<>();
        Map<String, String> kafka = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String key = arg.substring(0, eq);
            if (key.startsWith(KafkaSettings.PREFIX)) {
                kafka.put(key.substring(KafkaSettings.PREFIX.length()), arg.substring(eq + 1));
            } else {
                rsynth.put(key, arg.substring(eq + 1));
            }
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(rsynth, "args", 500))
                .withMapping(RsynthConfig.class).build();
        ServiceAssembly service = ServiceAssembly.start(config.getConfigMapping(RsynthConfig.class),
                new KafkaSettings(kafka), new SimpleMeterRegistry(), ServiceProcess.class.getClassLoader());
        System.out.println(READY + " " + service.instance());
        System.out.flush();
        while (System.in.read() != -1) {
            // runs until the parent closes our standard input (or kills us)
        }
        service.close();
        System.exit(0);
    }

    /**
     * The settings every service JVM of a test needs: the test models, the broker, quick failure detection in the
     * group (6 s sessions), its instance name, its plugins and results directories under {@code work}, and a
     * one-second shutdown grace.
     */
    public static Map<String, String> settings(Path work, String bootstrap, String instance) {
        Map<String, String> s = new HashMap<>(TestModels.config(work, false));
        s.put("kafka.bootstrap.servers", bootstrap);
        s.put("kafka.session.timeout.ms", "6000");
        s.put("kafka.heartbeat.interval.ms", "500");
        s.put("rsynth.instance", instance);
        s.put("rsynth.plugins-dir", work.resolve("plugins").toString());
        s.put("rsynth.results-dir", work.resolve("results").toString());
        s.put("rsynth.shutdown-grace", "PT1S");
        return s;
    }

    /**
     * Starts a service JVM logging to {@code log} (one file per process); returns once it is ready (or fails after
     * {@code timeout}).
     */
    public static ServiceProcess start(Path log, Map<String, String> settings, Duration timeout) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx384m", "-Xss4m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", pathingJar().toString(), ServiceProcess.class.getName()));
        settings.forEach((k, v) -> command.add(k + "=" + v));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            ServiceProcess child = new ServiceProcess(process, log);
            child.awaitReady(timeout);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A jar whose manifest lists the test class path: ONNX Runtime 1.29's environment creation crashes the JVM
     * (SIGSEGV, no hs_err file) when the child's class path is the full, long list of jars, as measured here.
     */
    private static synchronized Path pathingJar() {
        try {
            Path jar = Path.of("target", "service-process-classpath.jar").toAbsolutePath();
            StringBuilder classPath = new StringBuilder();
            for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    classPath.append(Path.of(entry).toAbsolutePath().toUri()).append(' ');
                }
            }
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString().strip());
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
                out.flush();
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitReady(Duration timeout) {
        long until = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < until) {
                if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(READY + " ")) {
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

    /** Graceful stop: closes its standard input and waits. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            process.destroy();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
