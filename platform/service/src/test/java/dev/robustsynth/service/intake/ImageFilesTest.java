package dev.robustsynth.service.intake;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.service.testing.TestImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** file: image URIs: refused without roots, read only inside them, bounded while reading, silent about the rest. */
class ImageFilesTest {
    private static final long LIMIT = 1_000_000;

    @TempDir
    Path temp;

    private Path root() throws IOException {
        return Files.createDirectories(temp.resolve("images"));
    }

    private static RejectedException refused(ImageFiles files, URI uri, FailureCode code) {
        RejectedException e = assertThrows(RejectedException.class, () -> files.read("image", uri, LIMIT));
        assertEquals(code, e.code, e.getMessage());
        assertTrue(e.getMessage().startsWith("parameter 'image'"), e.getMessage());
        return e;
    }

    @Test
    void withoutRootsEveryFileUriIsRefusedNamingTheSetting() throws IOException {
        Path png = Files.write(root().resolve("a.png"), TestImages.greyPng(28, 28));
        RejectedException e = refused(new ImageFiles(Optional.empty()), png.toUri(), FailureCode.IMAGE_URI_REFUSED);
        assertTrue(e.getMessage().contains("rsynth.image-uri-roots"), e.getMessage());
        refused(new ImageFiles(Optional.of(List.of())), URI.create("file:///dev/zero"), FailureCode.IMAGE_URI_REFUSED);
    }

    @Test
    void aRegularFileInsideARootIsReadWhole() throws Exception {
        byte[] bytes = TestImages.greyPng(28, 28);
        Path png = Files.write(root().resolve("a.png"), bytes);
        assertArrayEquals(bytes, new ImageFiles(Optional.of(List.of(root()))).read("image", png.toUri(), LIMIT));
    }

    @Test
    void devicesAndProcFilesAreRefusedWithoutReadingThem() {
        ImageFiles files = new ImageFiles(Optional.of(List.of(Path.of("/dev"), Path.of("/proc"))));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertTrue(refused(files, URI.create("file:///dev/zero"), FailureCode.IMAGE_URI_REFUSED).getMessage()
                    .contains("not a regular file"));
            assertTrue(refused(files, URI.create("file:///dev/urandom"), FailureCode.IMAGE_URI_REFUSED).getMessage()
                    .contains("not a regular file"));
            assertTrue(refused(files, URI.create("file:///proc/self/status"), FailureCode.IMAGE_URI_REFUSED)
                    .getMessage().contains("size of 0"));
        });
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = root().resolve("pipe.png");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor());
        ImageFiles files = new ImageFiles(Optional.of(List.of(root())));
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> assertTrue(
                refused(files, fifo.toUri(), FailureCode.IMAGE_URI_REFUSED).getMessage().contains("not a regular")));
    }

    @Test
    void aFileThatGrowsWhileItIsReadIsRefused() throws IOException {
        Path growing = Files.write(root().resolve("growing.png"), TestImages.greyPng(28, 28));
        ImageFiles files = new ImageFiles(Optional.of(List.of(root())), () -> {
            try {
                Files.write(growing, new byte[4096], StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        assertTrue(refused(files, growing.toUri(), FailureCode.IMAGE_URI_REFUSED).getMessage()
                .contains("changed size"));
    }

    @Test
    void aFileOverTheLimitIsTooLarge() throws IOException {
        Path big = Files.write(root().resolve("big.png"), new byte[(int) LIMIT + 1]);
        refused(new ImageFiles(Optional.of(List.of(root()))), big.toUri(), FailureCode.IMAGE_TOO_LARGE);
    }

    @Test
    void aSymlinkOutOfARootAndTraversalAreRefusedWithoutNamingWhatIsOutside() throws IOException {
        Path secret = Files.write(Files.createDirectories(temp.resolve("private")).resolve("secret-name.png"),
                TestImages.greyPng(28, 28));
        Path link = Files.createSymbolicLink(root().resolve("innocent.png"), secret);
        ImageFiles files = new ImageFiles(Optional.of(List.of(root())));
        for (URI uri : List.of(link.toUri(), URI.create(root().toUri() + "../private/secret-name.png"),
                URI.create("file:///etc/passwd"), URI.create("file:///no/such/file.png"))) {
            String message = refused(files, uri, FailureCode.IMAGE_URI_REFUSED).getMessage();
            assertTrue(message.contains("outside the directories"), message);
            assertFalse(message.contains("secret") || message.contains("private") || message.contains("passwd")
                    || message.contains("/no/such") || message.contains(temp.toString()), message);
        }
        String missing = refused(files, root().resolve("missing.png").toUri(), FailureCode.IMAGE_URI_REFUSED)
                .getMessage();
        assertTrue(missing.contains("no file missing.png"), missing);
        assertFalse(missing.contains(temp.toString()), missing);
    }
}
