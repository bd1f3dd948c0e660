package dev.robustsynth.service.jobs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The Kafka Streams state directory of one service process, held under an exclusive file lock for the life of the
 * process. An instance started again under its name (a restarted pod) takes its own directory back, so its stores
 * need not be restored from the changelogs; a second live process with the same name on the host (a successor
 * fencing its twin, or two test runs) gets a directory of its own, {@code <name>-<pid>}, deleted on close because no
 * later process will look for it. A process that died (even by {@code kill -9}) holds no lock.
 *
 * @param path     the directory to give Kafka Streams
 * @param reusable whether a later process of this name takes it over (else it is deleted on close)
 */
public record JobStateDir(Path path, boolean reusable, FileChannel lockFile, FileLock lock) implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(JobStateDir.class);

    public JobStateDir {
        requireNonNull(path, "path is null");
        requireNonNull(lockFile, "lockFile is null");
        requireNonNull(lock, "lock is null");
    }

    /**
     * Claims {@code <base>/<name>}, or {@code <base>/<name>-<pid>} when a live process holds that.
     *
     * @param reusable whether the name is stable across restarts (a configured {@code rsynth.instance}); a name made
     *                 of the host and process id is never started again, so its directory is deleted on close
     */
    public static JobStateDir claim(Path base, String name, boolean reusable) {
        requireNonNull(base, "base is null");
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        try {
            Files.createDirectories(base);
            Optional<JobStateDir> own = tryClaim(base, safe, reusable);
            if (own.isPresent()) {
                return own.get();
            }
            String fallback = safe + "-" + ProcessHandle.current().pid();
            LOG.warnf("the jobs state directory %s is held by another live process; this one uses %s",
                    base.resolve(safe), base.resolve(fallback));
            return tryClaim(base, fallback, false).orElseThrow(() -> new IllegalStateException(
                    "cannot lock the jobs state directory " + base.resolve(fallback)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the jobs state directory under " + base, e);
        }
    }

    private static Optional<JobStateDir> tryClaim(Path base, String name, boolean reusable) throws IOException {
        FileChannel channel = FileChannel.open(base.resolve(name + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisJvm) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            return Optional.empty();
        }
        Path dir = base.resolve(name);
        Files.createDirectories(dir);
        return Optional.of(new JobStateDir(dir, reusable, channel, lock));
    }

    /** Releases the lock, deleting the directory first unless it is reusable. */
    @Override
    public void close() {
        try {
            if (!reusable) {
                deleteTree(path);
                Files.deleteIfExists(path.resolveSibling(path.getFileName() + ".lock"));
            }
        } catch (IOException e) {
            LOG.warnf("cannot delete the jobs state directory %s: %s", path, e);
        } finally {
            try {
                lock.release();
                lockFile.close();
            } catch (IOException e) {
                LOG.debugf("closing the lock of %s: %s", path, e);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
