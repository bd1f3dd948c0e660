package dev.robustsynth.service.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobStateDirTest {
    @TempDir
    Path base;

    @Test
    void aRestartedInstanceTakesItsOwnDirectoryBackWithItsContents() throws Exception {
        try (JobStateDir first = JobStateDir.claim(base, "pod-0", true)) {
            assertEquals(base.resolve("pod-0"), first.path());
            Files.writeString(first.path().resolve("store"), "kept");
        }
        try (JobStateDir again = JobStateDir.claim(base, "pod-0", true)) {
            assertEquals(base.resolve("pod-0"), again.path());
            assertEquals("kept", Files.readString(again.path().resolve("store")));
        }
    }

    @Test
    void aSecondLiveHolderOfTheNameGetsADirectoryOfItsOwnThatIsDeletedOnClose() throws Exception {
        try (JobStateDir first = JobStateDir.claim(base, "twin", true)) {
            Path second;
            try (JobStateDir other = JobStateDir.claim(base, "twin", true)) {
                second = other.path();
                assertNotEquals(first.path(), second);
                assertEquals("twin-" + ProcessHandle.current().pid(), second.getFileName().toString());
                assertFalse(other.reusable());
                Files.writeString(second.resolve("store"), "x");
            }
            assertFalse(Files.exists(second), "the fallback directory is gone");
            assertTrue(Files.isDirectory(first.path()));
        }
    }

    @Test
    void aNameThatNoLaterProcessUsesIsDeletedOnClose() throws Exception {
        Path dir;
        try (JobStateDir once = JobStateDir.claim(base, "host/1234", false)) {
            dir = once.path();
            assertEquals(base.resolve("host_1234"), dir);
            Files.createDirectories(dir.resolve("app/0_0"));
        }
        assertFalse(Files.exists(dir));
    }
}
