package dev.robustsynth.deploy.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustsynth.cli.OutcomeImage;
import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.TaskOutcome;
import dev.robustsynth.cli.TaskSubmission;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image {@code jib:buildTar} wrote to {@code target/jib-image.tar}: its config and layers as read from the tar, then
 * the image itself under podman (as root, with runc), the way deploy/k8s runs it: read-only root file system, writable
 * tmpfs for {@code /tmp}, {@code /var/cache/rsynth} and {@code /deployments/.rsynth}, no capabilities. The service
 * starts its embedded broker on a free port of the host network, takes a generate task from {@code bin/rsynth}'s client
 * library and stops cleanly on SIGTERM.
 */
class ImageIT {
    private static final Path TAR = Path.of(System.getProperty("rsynth.image.tar", "target/jib-image.tar"));
    private static final Path REPO = Path.of(System.getProperty("rsynth.repo", "../.."));
    private static final String JVM_ARGS = "deployments/jvm.args";
    private static final String PASSWD = "etc/passwd";
    private static final List<String> ENTRYPOINT = List.of("/opt/java/bin/java", "@/deployments/jvm.args", "-jar",
            "/deployments/quarkus-run.jar");
    private static final Set<String> WRITABLE = Set.of("tmp", "var/cache/rsynth", "deployments/.rsynth");

    private static ImageTar image;

    @BeforeAll
    static void readTar() throws IOException {
        assertTrue(Files.isRegularFile(TAR), TAR.toAbsolutePath() + " is missing: jib:buildTar runs in package");
        image = ImageTar.read(TAR, Set.of(JVM_ARGS, PASSWD));
    }

    @Test
    void configStartsTheServiceAsUid185InDeploymentsOnPort8080() {
        JsonNode config = image.config().path("config");
        List<String> entrypoint = new ArrayList<>();
        config.path("Entrypoint").forEach(arg -> entrypoint.add(arg.asText()));
        assertEquals(ENTRYPOINT, entrypoint);
        assertTrue(config.path("Cmd").isMissingNode() || config.path("Cmd").isNull() || config.path("Cmd").isEmpty(),
                "no Cmd appended to the entrypoint: " + config.path("Cmd"));

        String user = config.path("User").asText();
        assertEquals("185:185", user);
        assertNotEquals("0", user.split(":")[0]);
        assertFalse(user.startsWith("root"));
        String passwd = ImageTar.text(image.layerWith(PASSWD).entry(PASSWD).orElseThrow().content());
        assertTrue(passwd.lines().anyMatch(l -> l.startsWith("rsynth:x:185:185:") && l.contains(":/var/cache/rsynth:")),
                "/etc/passwd names uid 185 with its home in /var/cache/rsynth (user.home: DJL, graph cache):\n" + passwd);

        assertEquals("/deployments", config.path("WorkingDir").asText());
        assertEquals(Set.of("8080/tcp"), fieldNames(config.path("ExposedPorts")));
        Set<String> env = new TreeSet<>();
        config.path("Env").forEach(e -> env.add(e.asText()));
        assertTrue(env.containsAll(Set.of("JAVA_HOME=/opt/java", "LANG=C.UTF-8", "ORT_DISABLE_TELEMETRY=1")), env::toString);
        assertTrue(env.stream().noneMatch(e -> e.startsWith("RSYNTH_")),
                "no rsynth.* settings in the image: they would outrank the mounted application.properties: " + env);
        assertEquals(image.layers().size(), image.config().path("rootfs").path("diff_ids").size(),
                "one diff id per layer of the manifest");
    }

    @Test
    void layersGoFromRuntimeToLibrariesToModelsToAppAndHoldWhatTheServiceNeeds() throws IOException {
        ImageTar.Layer runtime = image.layerWith("opt/java/bin/java");
        ImageTar.Layer libs = image.layerWith("deployments/lib/boot");
        ImageTar.Layer models = image.layerWith("deployments/models/fashion-robust-l2/model.onnx");
        ImageTar.Layer app = image.layerWith("deployments/quarkus-run.jar");
        assertTrue(image.indexOf(runtime) < image.indexOf(libs) && image.indexOf(libs) < image.indexOf(models)
                        && image.indexOf(models) < image.indexOf(app),
                "least changed first: runtime, libraries, models, app");
        // Jib's own small layer (class path and main class files for its default entrypoint, unused here) is the
        // only other one
        assertEquals(5, image.layers().size());

        for (String exe : List.of("opt/java/bin/java", "opt/java/lib/jspawnhelper", "lib64/ld-linux-x86-64.so.2")) {
            assertEquals(0755, runtime.entry(exe).orElseThrow(() -> new AssertionError("no " + exe)).mode(), exe);
        }
        for (String lib : List.of("opt/java/lib/server/libjvm.so", "lib/x86_64-linux-gnu/libc.so.6",
                "lib/x86_64-linux-gnu/libstdc++.so.6", "lib/x86_64-linux-gnu/libgcc_s.so.1")) {
            assertTrue(runtime.has(lib), "the runtime layer holds " + lib + " (the JVM's or ONNX Runtime's ldd)");
        }
        for (String dir : WRITABLE) {
            ImageTar.Entry entry = runtime.entry(dir).orElseThrow(() -> new AssertionError("no /" + dir));
            assertTrue(entry.directory(), dir);
            assertEquals(0777, entry.mode(), "/" + dir + " is writable by uid 185");
        }
        assertTrue(runtime.has("opt/java/lib/security/cacerts"), "TLS to Kafka needs the JDK's trust store");

        Path quarkusApp = REPO.resolve("platform/service/target/quarkus-app");
        assertEquals(Files.size(quarkusApp.resolve("quarkus-run.jar")),
                app.entry("deployments/quarkus-run.jar").orElseThrow().size());
        assertEquals(filesUnder(quarkusApp.resolve("lib")), entriesUnder(libs, "deployments/lib"),
                "the libraries layer is the fast-jar's lib/");
        assertEquals(filesUnder(quarkusApp.resolve("app")), entriesUnder(app, "deployments/app"));
        assertEquals(filesUnder(quarkusApp.resolve("quarkus")), entriesUnder(app, "deployments/quarkus"));
        assertEquals(filesUnder(REPO.resolve("models")), entriesUnder(models, "deployments/models"),
                "the models layer is the repository's models/");
        assertEquals(Files.readString(REPO.resolve("deploy/container/jvm.args")),
                ImageTar.text(app.entry(JVM_ARGS).orElseThrow().content()),
                "the image's JVM flags are deploy/container/jvm.args");

        for (ImageTar.Layer layer : image.layers()) {
            for (ImageTar.Entry entry : layer.entries().values()) {
                assertEquals(0, entry.uid(), entry.path());
                assertEquals(0, entry.mode() & 07000, "no setuid, setgid or sticky bits: " + entry.path());
            }
        }
    }

    @Test
    void imageRunsAGenerateTaskAsUid185AndStopsCleanlyOnSigterm() throws Exception {
        Podman podman = Podman.usable();
        String imageId = Files.readString(TAR.resolveSibling("jib-image.id")).strip();
        Podman.Result load = podman.run(Duration.ofMinutes(3), "load", "-q", "-i", TAR.toString());
        assertEquals(0, load.exit(), load.output());

        int kafkaPort = freePort();
        int httpPort = freePort();
        String name = "rsynth-image-it-" + UUID.randomUUID().toString().substring(0, 8);
        Podman.Result started = podman.run(Duration.ofMinutes(1), "run", "-d", "--name", name,
                "--runtime", "runc", "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=4096:4096",
                "--network", "host", "--read-only", "--cap-drop", "ALL", "--security-opt", "no-new-privileges",
                "--tmpfs", "/tmp:rw,exec,mode=1777", "--tmpfs", "/var/cache/rsynth:rw,mode=1777",
                "--tmpfs", "/deployments/.rsynth:rw,mode=1777",
                "-e", "RSYNTH_KAFKA_EMBEDDED_PORT=" + kafkaPort, "-e", "QUARKUS_HTTP_PORT=" + httpPort,
                "-e", "RSYNTH_INSTANCE=image-it", imageId);
        assertEquals(0, started.exit(), started.output());
        try {
            awaitLog(podman, name, "consuming rsynth.tasks", Duration.ofMinutes(4));
            awaitLog(podman, name, "Listening on: http://0.0.0.0:" + httpPort, Duration.ofMinutes(1));

            String pid = podman.run(Duration.ofSeconds(30), "inspect", "--format", "{{.State.Pid}}", name).output()
                    .strip();
            String status = Files.readString(Path.of("/proc", pid, "status"));
            assertTrue(status.lines().anyMatch(l -> l.matches("Uid:\\s+185\\s+185\\s+185\\s+185")),
                    "the JVM (PID 1 of the container) runs as uid 185:\n" + status);

            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + httpPort + "/q/health/ready")).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());

            TaskOutcome outcome;
            try (RsynthClient client = new RsynthClient(RsynthClientConfig.of("localhost:" + kafkaPort))) {
                outcome = client.run(TaskSubmission.builder("generate").model("fashion-robust-l2")
                        .param("class", "sneaker").param("count", 1).seed(7).build(), Duration.ofMinutes(3), p -> { });
            }
            assertTrue(outcome.succeeded(), () -> outcome.json() + "\n" + logs(podman, name));
            OutcomeImage result = outcome.images().stream().filter(i -> i.role().equals("result")).findFirst()
                    .orElseThrow(() -> new AssertionError("no result image: " + outcome.json()));
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(result.bytes()));
            assertEquals(28, png.getWidth());
            assertEquals(28, png.getHeight());
            JsonNode runtime = outcome.provenance().path("runtime");
            assertEquals("image-it", runtime.path("instance").asText(), "RSYNTH_INSTANCE reached the service");
            assertTrue(runtime.path("java").asText().startsWith("25"), "the jlinked Temurin 25 ran it: " + runtime);

            long stopping = System.nanoTime();
            Podman.Result stop = podman.run(Duration.ofSeconds(90), "stop", "-t", "60", name);
            long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopping);
            assertEquals(0, stop.exit(), stop.output());
            String exit = podman.run(Duration.ofSeconds(30), "inspect", "--format", "{{.State.ExitCode}}", name)
                    .output().strip();
            String log = logs(podman, name);
            // 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal (137 would be the SIGKILL
            // podman sends after -t 60)
            assertEquals("143", exit, log);
            assertTrue(stopMillis < 60_000, "stopped before podman's SIGKILL: " + stopMillis + " ms");
            assertTrue(log.contains("rsynth-service stopped in"), "Quarkus' graceful shutdown ran:\n" + tail(log));
            assertTrue(log.contains("embedded Kafka broker stopped"), "the embedded broker shut down:\n" + tail(log));
            assertFalse(log.contains("restricted method"), "no native-access warnings (jvm.args):\n" + tail(log));
            assertFalse(log.contains(" ERROR "), "no errors in the service log:\n" + log);
            System.out.printf("image: container stopped in %d ms with exit code %s%n", stopMillis, exit);
        } finally {
            podman.run(Duration.ofSeconds(60), "rm", "-f", name);
        }
    }

    private static void awaitLog(Podman podman, String name, String text, Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (logs(podman, name).contains(text)) {
                return;
            }
            String state = podman.run(Duration.ofSeconds(30), "inspect", "--format", "{{.State.Status}}", name)
                    .output().strip();
            if (!state.equals("running") && !state.equals("created")) {
                fail("the container is " + state + " before it logged '" + text + "':\n" + logs(podman, name));
            }
            Thread.sleep(500);
        }
        fail("no '" + text + "' within " + timeout + ":\n" + logs(podman, name));
    }

    private static String logs(Podman podman, String name) {
        try {
            return podman.run(Duration.ofSeconds(30), "logs", name).output();
        } catch (IOException | InterruptedException e) {
            return "(no logs: " + e + ")";
        }
    }

    private static String tail(String log) {
        return log.substring(Math.max(0, log.length() - 4000));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Relative paths and sizes of the regular files under {@code dir}. */
    private static Set<String> filesUnder(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return dir.relativize(f).toString().replace('\\', '/') + " " + Files.size(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Set<String> entriesUnder(ImageTar.Layer layer, String dir) {
        return layer.entries().values().stream().filter(e -> !e.directory() && e.path().startsWith(dir + "/"))
                .map(e -> e.path().substring(dir.length() + 1) + " " + e.size())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * The podman command, as root with the runc runtime. {@link #usable} aborts the test (an assumption, reported as
     * skipped with the reason) when this machine cannot run containers at all; anything else fails.
     */
    record Podman(String executable) {
        record Result(int exit, String output) {
        }

        static Podman usable() throws IOException, InterruptedException {
            Podman podman = new Podman("podman");
            Result version;
            try {
                version = podman.run(Duration.ofSeconds(30), "version", "--format", "{{.Client.Version}}");
            } catch (IOException e) {
                Assumptions.abort("podman is not installed (apt-get install podman runc; .ci/run does): " + e);
                throw e;
            }
            Assumptions.assumeTrue(version.exit() == 0, () -> "podman does not run here: " + version.output());
            Assumptions.assumeTrue(Stream.of("/usr/sbin/runc", "/usr/bin/runc").anyMatch(p -> Files.isExecutable(Path.of(p))),
                    "runc is not installed (apt-get install runc): podman's default crun 1.8.1 cannot start "
                            + "containers under this kernel's hybrid cgroup layout (deploy/README.md)");
            Assumptions.assumeTrue("0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream()
                            .readAllBytes(), StandardCharsets.UTF_8).strip()),
                    "the run part runs podman as root (rootful podman with runc is what deploy/README.md verified)");
            return podman;
        }

        Result run(Duration timeout, String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of(executable));
            command.addAll(List.of(args));
            Path out = Files.createTempFile("podman", ".out");
            try {
                Process process = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(out.toFile()).start();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout);
                }
                return new Result(process.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1));
            } finally {
                Files.deleteIfExists(out);
            }
        }
    }
}
