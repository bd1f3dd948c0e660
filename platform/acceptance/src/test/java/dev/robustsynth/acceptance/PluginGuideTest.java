package dev.robustsynth.acceptance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsynth.spi.SpiVersion;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * docs/PLUGIN-GUIDE.md followed word for word: its tagged files are written out, built with the system
 * {@code mvn package} against this build's rsynth-spi and plugin test kit, the jar is dropped into the plugins
 * directory of the packaged service, and {@code bin/rsynth submit} runs a {@code nudge} task through Kafka. The same
 * service then answers {@code bin/rsynth tasks} and {@code bin/rsynth submit --help}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginGuideTest {
    private static final String VERSION = System.getProperty("rsynth.version");
    private final Path work = Path.of("target/plugin-guide").toAbsolutePath();
    private final Path project = work.resolve("nudge-plugin");
    private GuideFiles guide;
    private SystemMaven.Run build;
    private PackagedService service;

    @BeforeAll
    void buildTheGuidesPluginAndStartAServiceWithIt() throws Exception {
        deleteRecursively(work);
        guide = GuideFiles.read(Path.of(System.getProperty("rsynth.guide")));
        guide.writeTo(project);
        SystemMaven mvn = new SystemMaven(Path.of(System.getProperty("rsynth.system-mvn")), work.resolve("maven"),
                Path.of(System.getProperty("rsynth.warm-repository")));
        Path home = Path.of(System.getProperty("rsynth.home"));
        List<String[]> artifacts = List.of(new String[] {"pom.xml", null}, new String[] {"plugins/pom.xml", null},
                new String[] {"platform/spi/pom.xml", "rsynth.spi-jar"},
                new String[] {"platform/pgd/pom.xml", "rsynth.pgd-jar"},
                new String[] {"plugins/plugin-testkit/pom.xml", "rsynth.testkit-jar"});
        for (String[] artifact : artifacts) {
            Optional<Path> jar = Optional.ofNullable(artifact[1]).map(key -> Path.of(System.getProperty(key)));
            SystemMaven.Run install = mvn.install(home.resolve(artifact[0]), jar);
            assertEquals(0, install.exit(), () -> "installing " + artifact[0] + " failed:\n" + tail(install));
        }
        build = mvn.run(project, List.of("package"));
        assertEquals(0, build.exit(), () -> "the guide's `mvn package` failed:\n" + tail(build));
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Path deployed = Files.copy(pluginJar(), plugins.resolve(pluginJar().getFileName()));
        Files.writeString(plugins.resolve("plugins.allow"), HexFormat.of().formatHex(MessageDigest
                .getInstance("SHA-256").digest(Files.readAllBytes(deployed))) + "  " + deployed.getFileName() + "\n");
        service = PackagedService.start(Path.of(System.getProperty("rsynth.service-app")), work,
                Path.of(System.getProperty("rsynth.model-dir")).toAbsolutePath().normalize(), plugins);
    }

    @AfterAll
    void stopTheService() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void theGuideSpellsOutAWholeMavenProjectForThisVersion() {
        assertTrue(guide.files().keySet().containsAll(List.of(Path.of("pom.xml"),
                Path.of("src/main/resources/META-INF/services/dev.robustsynth.spi.RobustSynthPlugin"),
                Path.of("src/test/java/com/example/nudge/NudgeTaskFactoryTest.java"))), guide.files().keySet()::toString);
        assertTrue(guide.files().get(Path.of("pom.xml")).contains("<rsynth.version>" + VERSION + "</rsynth.version>"),
                "the guide's pom must name this build's version " + VERSION);
    }

    @Test
    void theSystemMavenBuildsAJavaTwentyOneJarWithTheSpiVersionAndRunsTheGuidesTest() throws Exception {
        try (JarFile jar = new JarFile(pluginJar().toFile())) {
            assertEquals(SpiVersion.CURRENT, jar.getManifest().getMainAttributes().getValue("RobustSynth-Spi-Version"));
            try (InputStream in = jar.getInputStream(jar.getEntry("com/example/nudge/NudgePlugin.class"))) {
                byte[] head = in.readNBytes(8);
                assertEquals(65, ((head[6] & 0xff) << 8) | (head[7] & 0xff), "class file major version (65 = Java 21)");
            }
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("dev/robustsynth/")), "the SPI stays out");
        }
        String log = Files.readString(build.log());
        assertTrue(log.contains("Apache Maven "), () -> "mvn -V names its version:\n" + tail(build));
        Matcher tests = Pattern.compile("Tests run: (\\d+), Failures: 0, Errors: 0, Skipped: 0").matcher(log);
        assertTrue(tests.find() && Integer.parseInt(tests.group(1)) > 0, () -> "the guide's unit test:\n" + tail(build));
    }

    @Test
    void theDropInPluginRunsANudgeTaskThroughKafkaToSucceeded() throws Exception {
        Path image = work.resolve("coat.png");
        ImageIO.write(coatLikeImage(), "png", image.toFile());
        Path out = work.resolve("results-cli");
        Cli run = rsynth("submit", "-t", "nudge", "-m", "fashion-robust-l2", "--image", "image=" + image,
                "-p", "class=trouser", "-p", "steps=5", "--seed", "7", "--id", "guide-nudge-1",
                "-b", service.bootstrap(), "--out", out.toString(), "--timeout", "90s", "--progress", "none");
        assertEquals(0, run.exit(), () -> run + "\n--- service log\n" + service.logTail());
        JsonNode result = new ObjectMapper().readTree(out.resolve("guide-nudge-1.json").toFile());
        assertEquals("SUCCEEDED", result.path("status").asText(), result::toString);
        assertEquals("example-nudge", result.path("provenance").path("plugin").asText(), result::toString);
        JsonNode meta = result.path("images").path(0).path("metadata");
        assertTrue(meta.path("finalProbability").asDouble() > meta.path("startProbability").asDouble(), meta::toString);
        assertTrue(Files.isRegularFile(out.resolve("guide-nudge-1-result-0.png")));
    }

    @Test
    void rsynthTasksListsTheServedDropInTaskAndNotTheTestOnlyEcho() throws Exception {
        Cli run = rsynth("tasks", "--service", service.http().toString());
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.err().contains("task types served by " + service.http()), run::toString);
        assertFalse(run.err().contains("falling back"), run::toString);
        assertTrue(run.out().contains("nudge  — a few cross-entropy steps toward a class   [example-nudge 1.0.0"),
                run::toString);
        assertTrue(run.out().contains("params: image*, class*, eps, steps"), run::toString);
        assertTrue(run.out().contains("superres  — "), run::toString);
        assertFalse(run.out().lines().anyMatch(l -> l.startsWith("echo")), run::toString);
    }

    @Test
    void submitHelpNamesTheTypesTheServiceServes() throws Exception {
        Cli run = rsynth("submit", "--help", "--service", service.http().toString());
        assertEquals(0, run.exit(), run::toString);
        String help = run.out().replaceAll("\\s+", " ");
        String types = help.substring(help.indexOf("-t, --type=<type>"), help.indexOf("-m, --model"));
        assertTrue(types.contains("nudge") && types.contains("superres"), types);
        assertFalse(types.contains("echo") || types.contains("super-resolve"), types);
    }

    private Path pluginJar() throws IOException {
        try (Stream<Path> jars = Files.list(project.resolve("target"))) {
            return jars.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no jar in " + project.resolve("target")));
        }
    }

    /** A grey 28 × 28 coat-like blob: body and sleeves, brighter than the background. */
    private static BufferedImage coatLikeImage() {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                boolean body = y >= 4 && y < 26 && x >= 8 && x < 20;
                boolean sleeves = y >= 6 && y < 22 && (x >= 4 && x < 8 || x >= 20 && x < 24);
                int v = body ? 200 : sleeves ? 170 : 10;
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        return img;
    }

    /** One run of {@code bin/rsynth}, the script a user runs (it finds the jar the reactor just packaged). */
    private record Cli(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli rsynth(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("rsynth.home"), "bin", "rsynth")
                .toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(work, "rsynth-", ".out");
        Path err = Files.createTempFile(work, "rsynth-", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
        }
        return new Cli(p.isAlive() ? -1 : p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String tail(SystemMaven.Run run) {
        try {
            return run.tail();
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
