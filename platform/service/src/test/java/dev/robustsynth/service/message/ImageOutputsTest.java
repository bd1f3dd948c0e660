package dev.robustsynth.service.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.spi.Image;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Result files by URI: one directory per raw task id, and old directories swept by age. */
class ImageOutputsTest {
    @TempDir
    Path results;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-12-03T12:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    /** Everything goes to files: inline limit 0. */
    private ImageOutputs outputs() {
        return new ImageOutputs(0, 0, results, Duration.ofHours(1), clock);
    }

    private static Path written(ImageOutputs outputs, String id, Image image) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        outputs.write(node, image, id, "result", 0, new ImageOutputs.Budget());
        assertFalse(node.has("data"));
        return Path.of(URI.create(node.get("uri").asString()));
    }

    @Test
    void twoIdsThatSanitiseToOneNameNeverShareADirectory() throws Exception {
        ImageOutputs outputs = outputs();
        Image dark = Image.filled(1, 3, 3, 0.1f);
        Image light = Image.filled(1, 3, 3, 0.9f);
        Path a = written(outputs, "job/1", dark);
        Path b = written(outputs, "job:1", light);
        assertNotEquals(a.getParent(), b.getParent());
        assertTrue(a.getParent().getFileName().toString().startsWith("job_1-"), a.toString());
        assertTrue(b.getParent().getFileName().toString().startsWith("job_1-"), b.toString());
        assertArrayEquals(ImageCodec.encodePng(dark), Files.readAllBytes(a));
        assertArrayEquals(ImageCodec.encodePng(light), Files.readAllBytes(b));
        assertEquals(a, written(outputs, "job/1", dark), "one id, one directory, every time");
        assertEquals(results, a.getParent().getParent(), "nothing escapes the results directory");
    }

    @Test
    void aLongOrHostileIdStaysOneBoundedNameInsideTheResultsDirectory() {
        Path file = written(outputs(), "../../etc/" + "x".repeat(500), Image.filled(1, 2, 2, 0.5f));
        Path dir = file.getParent();
        assertEquals(results, dir.getParent());
        assertTrue(dir.getFileName().toString().length() <= 96 + 13, dir.toString());
        assertFalse(dir.getFileName().toString().startsWith("."));
    }

    @Test
    void directoriesOlderThanTheMaximumAgeAreSweptAndNewerOnesAndForeignFilesKept() throws Exception {
        ImageOutputs outputs = outputs();
        Path old = written(outputs, "old-task", Image.filled(1, 2, 2, 0.5f)).getParent();
        Path fresh = written(outputs, "fresh-task", Image.filled(1, 2, 2, 0.5f)).getParent();
        Path foreign = Files.createDirectories(results.resolve("notes-0123456789ab"));
        Files.writeString(foreign.resolve("README.txt"), "not ours");
        Path unrelated = Files.createDirectories(results.resolve("keep-me"));
        for (Path p : new Path[] {old, foreign, unrelated}) {
            Files.setLastModifiedTime(p, FileTime.from(now.get().minus(Duration.ofHours(2))));
        }
        Files.setLastModifiedTime(fresh, FileTime.from(now.get().minus(Duration.ofMinutes(59))));

        assertEquals(1, outputs.sweep());
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(fresh));
        assertTrue(Files.exists(foreign.resolve("README.txt")), "a directory holding other than PNGs is not ours");
        assertTrue(Files.exists(unrelated));
    }

    @Test
    void writingSweepsAtMostOncePerInterval() throws Exception {
        ImageOutputs outputs = outputs();
        Path first = written(outputs, "first", Image.filled(1, 2, 2, 0.5f)).getParent();
        Files.setLastModifiedTime(first, FileTime.from(now.get().minus(Duration.ofHours(3))));
        now.set(now.get().plusSeconds(30));
        written(outputs, "second", Image.filled(1, 2, 2, 0.5f));
        assertTrue(Files.exists(first), "the last sweep was 30 s ago");
        now.set(now.get().plus(ImageOutputs.SWEEP_INTERVAL));
        written(outputs, "third", Image.filled(1, 2, 2, 0.5f));
        assertFalse(Files.exists(first), "swept by the write a minute later");
    }
}
