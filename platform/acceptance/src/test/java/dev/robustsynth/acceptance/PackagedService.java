package dev.robustsynth.acceptance;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code quarkus-run.jar}) in its own JVM, as {@code bin/rsynth-service} runs it: its embedded
 * Kafka broker and HTTP API on free ports, one model, a plugins directory, all state under {@code work}.
 */
final class PackagedService implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private final Process process;
    private final Path log;
    private final int httpPort;
    private final int kafkaPort;

    private PackagedService(Process process, Path log, int httpPort, int kafkaPort) {
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
        this.kafkaPort = kafkaPort;
    }

    /** Starts the service and returns once {@code GET /api/v1/tasks} answers 200. */
    static PackagedService start(Path app, Path work, Path modelDir, Path pluginsDir) throws IOException {
        return start(app, work, modelDir, pluginsDir, List.of());
    }

    /**
     * As {@link #start(Path, Path, Path, Path)}, with more JVM options after the defaults ({@code -Dkey=value}
     * there overrides a default, the last one winning).
     */
    static PackagedService start(Path app, Path work, Path modelDir, Path pluginsDir, List<String> jvmOptions)
            throws IOException {
        if (!Files.isRegularFile(app)) {
            throw new IllegalStateException(app + " is missing: package platform/service first "
                    + "(bin/mvnw -pl platform/acceptance -am verify)");
        }
        int http = freePort();
        int kafka = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-Dquarkus.http.port=" + http,
                "-Drsynth.kafka.embedded.port=" + kafka,
                "-Drsynth.kafka.embedded.dir=" + work.resolve("kafka"),
                "-Drsynth.kafka.partitions=1",
                "-Drsynth.plugins-dir=" + pluginsDir,
                "-Drsynth.models-dir=" + Files.createDirectories(work.resolve("no-models")),
                "-Drsynth.extra-model-dirs=" + modelDir,
                "-Drsynth.graph-cache-dir=" + work.resolve("graph-cache"),
                "-Drsynth.results-dir=" + work.resolve("results"),
                "-Drsynth.ort-threads=1",
                "-Drsynth.worker-threads=1",
                "-Drsynth.shutdown-grace=5s"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", app.toString()));
        Path log = work.resolve("service.log");
        Process p = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        PackagedService service = new PackagedService(p, log, http, kafka);
        try {
            service.awaitReady();
            return service;
        } catch (IOException | RuntimeException e) {
            service.close();
            throw e;
        }
    }

    URI http() {
        return URI.create("http://localhost:" + httpPort);
    }

    /** The service JVM's process id (for /proc/&lt;pid&gt;/status). */
    long pid() {
        return process.pid();
    }

    String bootstrap() {
        return "localhost:" + kafkaPort;
    }

    /** The last lines the service logged, for failure messages. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitReady() throws IOException {
        Instant until = Instant.now().plus(START_TIMEOUT);
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest tasks = HttpRequest.newBuilder(http().resolve("/api/v1/tasks"))
                    .timeout(Duration.ofSeconds(5)).build();
            while (Instant.now().isBefore(until)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the service exited with " + process.exitValue() + ":\n" + logTail());
                }
                try {
                    if (client.send(tasks, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the service", e);
        }
        throw new IllegalStateException("the service did not answer within " + START_TIMEOUT + ":\n" + logTail());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Stops the service (SIGTERM, then a kill after 30 s). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
