package dev.robustsynth.service.intake;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code file:} image URIs, and only inside {@code rsynth.image-uri-roots}. Without roots every {@code file:}
 * URI is refused. A path is resolved with {@link Path#toRealPath} (so a symlink leading out of a root is refused),
 * must be a regular file (devices, FIFOs, directories are refused before they are opened) of a known, non-zero size
 * (so {@code /proc}-style files are refused), and is read through one channel into a buffer of at most
 * {@code size + 1} bytes: a file that grows or shrinks while it is read is refused, and nothing larger than the
 * limit is ever held. Messages name paths only relative to a root, never a path outside one.
 */
public final class ImageFiles {
    static final String SETTING = "rsynth.image-uri-roots";

    private final Optional<List<Root>> roots;
    private final Runnable afterStat;

    /** One allowed directory: as configured (normalised) and as resolved on disk. */
    private record Root(Path configured, Path real) {
        Optional<Path> relative(Path path) {
            if (path.startsWith(real)) {
                return Optional.of(real.relativize(path));
            }
            return path.startsWith(configured) ? Optional.of(configured.relativize(path)) : Optional.empty();
        }
    }

    /** @param roots the directories file: URIs may point into; empty refuses every file: URI */
    public ImageFiles(Optional<List<Path>> roots) {
        this(roots, () -> { });
    }

    /** @param afterStat run between the size check and the read (tests grow a file there) */
    ImageFiles(Optional<List<Path>> roots, Runnable afterStat) {
        this.roots = requireNonNull(roots, "roots is null").filter(list -> !list.isEmpty())
                .map(ImageFiles::resolve);
        this.afterStat = requireNonNull(afterStat, "afterStat is null");
    }

    private static List<Root> resolve(List<Path> configured) {
        List<Root> resolved = new ArrayList<>();
        for (Path p : configured) {
            Path normal = p.toAbsolutePath().normalize();
            Path real;
            try {
                real = normal.toRealPath();
            } catch (IOException e) {
                real = normal;
            }
            resolved.add(new Root(normal, real));
        }
        return List.copyOf(resolved);
    }

    /** Whether file: URIs are served at all. */
    public boolean enabled() {
        return roots.isPresent();
    }

    /**
     * The bytes of the file {@code uri} names.
     *
     * @throws RejectedException IMAGE_URI_REFUSED (no roots, outside them, not a regular file, unknown size,
     *                           changed while read, unreadable), IMAGE_TOO_LARGE, or UNDECODABLE_IMAGE for a URI
     *                           that is not a file URI
     */
    byte[] read(String parameter, URI uri, long maxBytes) throws RejectedException {
        String where = "parameter '" + parameter + "'";
        if (roots.isEmpty()) {
            throw refused(where + ": file: URIs are not served because " + SETTING + " is not set; set it to the "
                    + "directories images may be read from, or send the image inline as data");
        }
        Path lexical;
        try {
            lexical = Path.of(uri).toAbsolutePath().normalize();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new RejectedException(FailureCode.UNDECODABLE_IMAGE, Stage.VALIDATE, where + ": the uri is not "
                    + "a plain file: URI (" + e.getMessage() + ")");
        }
        String outside = where + ": the uri is outside the directories images may be read from (" + SETTING + ")";
        Optional<Path> shown = relative(lexical);
        if (shown.isEmpty()) {
            throw refused(outside);
        }
        Path real;
        try {
            real = lexical.toRealPath();
        } catch (NoSuchFileException e) {
            throw refused(where + ": no file " + shown.get() + " in " + SETTING);
        } catch (IOException | SecurityException e) {
            throw refused(where + ": " + shown.get() + " cannot be resolved (" + e.getClass().getSimpleName() + ")");
        }
        shown = relative(real);
        if (shown.isEmpty()) {
            throw refused(outside); // a symlink out of the roots: the target is not named
        }
        return readRegular(where + ": " + shown.get(), real, maxBytes);
    }

    private byte[] readRegular(String what, Path real, long maxBytes) throws RejectedException {
        BasicFileAttributes attributes;
        try {
            attributes = java.nio.file.Files.readAttributes(real, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw refused(what + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (!attributes.isRegularFile()) {
            throw refused(what + " is not a regular file (a directory, device, FIFO or socket)");
        }
        long size = attributes.size();
        if (size > maxBytes) {
            throw new RejectedException(FailureCode.IMAGE_TOO_LARGE, Stage.VALIDATE, what + " is " + size
                    + " bytes; the limit is " + maxBytes);
        }
        if (size == 0) {
            throw refused(what + " reports a size of 0 bytes (empty, or a /proc-style file whose size is unknown)");
        }
        afterStat.run();
        ByteBuffer buffer = ByteBuffer.allocate((int) size + 1);
        try (FileChannel channel = FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // reads at most size + 1 bytes, whatever the file does meanwhile
            }
        } catch (IOException e) {
            throw refused(what + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (buffer.position() != size) {
            throw refused(what + " changed size while it was read (" + size + " bytes when checked, "
                    + (buffer.position() > size ? "more" : buffer.position()) + " when read); images must not be "
                    + "written while the service reads them");
        }
        return Arrays.copyOf(buffer.array(), (int) size);
    }

    private Optional<Path> relative(Path path) {
        return roots.orElseThrow().stream().map(r -> r.relative(path)).flatMap(Optional::stream).findFirst();
    }

    private static RejectedException refused(String message) {
        return new RejectedException(FailureCode.IMAGE_URI_REFUSED, Stage.VALIDATE, message);
    }
}
