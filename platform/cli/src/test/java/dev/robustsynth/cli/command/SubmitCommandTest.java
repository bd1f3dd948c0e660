package dev.robustsynth.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustsynth.cli.ContractResponder;
import dev.robustsynth.cli.TestBroker;
import dev.robustsynth.cli.TestImages;
import dev.robustsynth.cli.WireFormat;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The rsynth command end to end: real broker, the contract responder as the service, files on disk. */
@Timeout(90)
class SubmitCommandTest {
    @TempDir
    Path dir;

    private ContractResponder responder;
    private String bootstrap;
    private Path input;

    @BeforeEach
    void setUp() throws Exception {
        bootstrap = TestBroker.bootstrap();
        responder = TestBroker.responder();
        input = dir.resolve("in.png");
        Files.write(input, TestImages.greyPng(28, 28));
    }

    @AfterEach
    void schemasHold() {
        assertEquals(List.of(), responder.violations(), "traffic that does not validate against schemas/");
    }

    private static String newId(String prefix) {
        return prefix + UUID.randomUUID();
    }

    @Test
    void succeededTaskExitsZeroWritesPngsAndJsonAndShowsProgress() throws Exception {
        String id = newId("cli-ok-");
        Path out = dir.resolve("results");
        CliRun run = CliRun.of("submit", "--type", "echo", "--model", "fashion-robust-l2", "--image", "image=" + input,
                "--param", "steps=10", "--seed", "7", "--id", id, "--bootstrap", bootstrap, "--out", out.toString(),
                "--timeout", "30s", "--progress", "lines");

        assertEquals(ExitCodes.SUCCEEDED, run.exit(), run::toString);
        Path png = out.resolve(id + "-result-0.png");
        assertTrue(Files.isRegularFile(png), run::toString);
        BufferedImage written = ImageIO.read(png.toFile());
        assertEquals(28, written.getWidth());
        assertEquals(28, written.getHeight());

        JsonNode json = WireFormat.mapper().readTree(out.resolve(id + ".json").toFile());
        assertEquals("SUCCEEDED", json.get("status").asText());
        assertEquals(id + "-result-0.png", json.at("/images/0/file").asText());
        assertFalse(json.at("/images/0").has("data"), "the base64 is replaced by the file name");
        assertEquals("rsynth-test-echo", json.at("/provenance/plugin").asText());

        assertTrue(run.err().contains("submitted " + id), run::toString);
        assertTrue(run.err().contains("[###############---------------]  50% 5/10 synthesis loss=0.2000"), run::toString);
        assertTrue(run.err().contains("100% 10/10"), run::toString);
        String[] lines = run.out().strip().split("\n");
        assertEquals(1, lines.length, "one summary line on stdout");
        assertTrue(lines[0].startsWith("SUCCEEDED " + id + " echo model=fashion-robust-l2: 1 image -> "), lines[0]);

        JsonNode request = responder.requests().get(id).json();
        assertEquals(10, request.at("/params/steps").asInt());
        assertTrue(request.at("/params/steps").isInt(), "--param values parse as JSON");
        assertArrayEquals(Files.readAllBytes(input), Base64.getDecoder().decode(request.at("/params/image/data").asText()));
    }

    @Test
    void progressEveryAndPreviewsGoIntoTheRequestAndPreviewsAreCountedInTheProgressLines() throws Exception {
        String id = newId("cli-previews-");
        CliRun run = CliRun.of("submit", "-t", "echo", "-i", "image=" + input, "-p", "steps=6", "--progress-every", "2",
                "--previews", "--id", id, "-b", bootstrap, "-o", dir.toString(), "--timeout", "30s",
                "--progress", "lines");

        assertEquals(ExitCodes.SUCCEEDED, run.exit(), run::toString);
        JsonNode progress = responder.requests().get(id).json().get("progress");
        assertEquals(2, progress.get("every").asInt(), progress::toString);
        assertTrue(progress.get("previews").asBoolean(), progress::toString);
        assertTrue(run.err().contains("2/6 synthesis loss=0.5000 1 preview  "), run::toString);
        assertTrue(run.err().contains("6/6 synthesis"), run::toString);
        assertFalse(run.err().contains("1/6 synthesis"), "events only every 2 steps: " + run);

        CliRun everyAlone = CliRun.of("submit", "-t", "echo", "-i", "image=" + input, "--progress-every", "3",
                "--dry-run");
        JsonNode request = WireFormat.mapper().readTree(everyAlone.out());
        assertEquals(3, request.at("/progress/every").asInt(), everyAlone::toString);
        assertFalse(request.at("/progress/previews").asBoolean(), everyAlone::toString);
        CliRun previewsAlone = CliRun.of("submit", "-t", "echo", "-i", "image=" + input, "--previews", "--dry-run");
        assertEquals(SubmitCommand.DEFAULT_PREVIEW_EVERY,
                WireFormat.mapper().readTree(previewsAlone.out()).at("/progress/every").asInt(), previewsAlone::toString);
        CliRun zero = CliRun.of("submit", "-t", "echo", "-i", "image=" + input, "--progress-every", "0", "--dry-run");
        assertEquals(ExitCodes.USAGE, zero.exit(), zero::toString);
        assertTrue(zero.err().contains("--progress-every"), zero::toString);
    }

    @Test
    void failedTaskExitsOneWithCodeAndMessageOnStderr() throws Exception {
        String id = newId("cli-fail-");
        CliRun run = CliRun.of("submit", "--type", "inpaitn", "--id", id, "-b", bootstrap, "-o", dir.toString(),
                "--timeout", "30s");
        assertEquals(ExitCodes.FAILED, run.exit(), run::toString);
        assertTrue(run.err().contains("UNKNOWN_TYPE"), run::toString);
        assertTrue(run.err().contains("unknown task type 'inpaitn'"), run::toString);
        assertTrue(run.out().startsWith("FAILED " + id + " inpaitn: UNKNOWN_TYPE"), run::toString);
        assertEquals("FAILED", WireFormat.mapper().readTree(dir.resolve(id + ".json").toFile()).get("status").asText());
    }

    @Test
    void taskFailingAtRunTimeExitsOne() {
        CliRun run = CliRun.of("submit", "-t", "echo", "-i", "image=" + input, "-p", "failWith=INVALID_IMAGE",
                "-b", bootstrap, "-o", dir.toString(), "--progress", "none");
        assertEquals(ExitCodes.FAILED, run.exit(), run::toString);
        assertTrue(run.err().contains("INVALID_IMAGE (stage run)"), run::toString);
    }

    @Test
    void timeoutExitsFourAndSendsACancel() throws Exception {
        String id = newId("cli-timeout-");
        long t0 = System.nanoTime();
        CliRun run = CliRun.of("submit", "-t", "echo", "-i", "image=" + input, "-p", "steps=1000", "-p", "delayMillis=50",
                "--id", id, "-b", bootstrap, "-o", dir.toString(), "--timeout", "2s", "--progress", "none");
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(ExitCodes.TIMEOUT, run.exit(), run::toString);
        assertTrue(run.err().contains("TIMEOUT"), run::toString);
        assertTrue(run.err().contains("cancel sent"), run::toString);
        assertTrue(millis < 15_000, "took " + millis + " ms");
        long until = System.nanoTime() + 10_000_000_000L;
        while (responder.controls().stream().noneMatch(c -> id.equals(c.key())) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertTrue(responder.controls().stream().anyMatch(c -> id.equals(c.key())), "the service got the cancel");
        assertFalse(Files.exists(dir.resolve(id + ".json")));
    }

    @Test
    void awaitPicksUpTheResultOfATaskSubmittedWithNoWait() throws Exception {
        String id = newId("cli-later-");
        CliRun submitted = CliRun.of("submit", "-t", "echo", "-i", "image=" + input, "--id", id, "-b", bootstrap,
                "--no-wait");
        assertEquals(0, submitted.exit(), submitted::toString);
        assertEquals(id, submitted.out().strip());
        CliRun awaited = CliRun.of("await", id, "--since", "1m", "-b", bootstrap, "-o", dir.toString(),
                "--timeout", "30s", "--progress", "lines");
        assertEquals(0, awaited.exit(), awaited::toString);
        assertTrue(Files.isRegularFile(dir.resolve(id + "-result-0.png")), awaited::toString);
    }

    @Test
    void cancelCommandPublishesAControlRecord() throws Exception {
        String id = newId("cli-cancel-");
        CliRun run = CliRun.of("cancel", id, "-b", bootstrap);
        assertEquals(0, run.exit(), run::toString);
        assertEquals("cancel sent for " + id, run.out().strip());
        long until = System.nanoTime() + 10_000_000_000L;
        while (responder.controls().stream().noneMatch(c -> id.equals(c.key())) && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        ContractResponder.Received control = responder.controls().stream().filter(c -> id.equals(c.key()))
                .findFirst().orElseThrow();
        assertEquals("{\"action\":\"cancel\",\"id\":\"" + id + "\"}", control.value());
        assertEquals("dev.robustsynth.control.v1", control.headers().get("ce_type"));
    }

    @Test
    void unreachableKafkaExitsFive() {
        CliRun run = CliRun.of("submit", "-t", "echo", "-i", "image=" + input, "-b", "localhost:1",
                "--connect-timeout", "2s");
        assertEquals(ExitCodes.ERROR, run.exit(), run::toString);
        assertTrue(run.err().contains("localhost:1"), run::toString);
    }
}
