package dev.robustsynth.service.message;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.spi.Image;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes result images as PNG: inline base64 up to the inline limit (and while the result's inline budget
 * lasts), otherwise written under the results directory and referenced by a file: URI.
 *
 * <p>Each task's files go to {@code <results dir>/<sanitised id>-<12 hex digits of the raw id's SHA-256>/}, so two
 * ids that sanitise to the same name ({@code a/b}, {@code a:b}) never share a directory. Task directories whose
 * last change is older than the maximum age ({@code rsynth.results-max-age}) are deleted by {@link #sweep}, which
 * {@link #write} also runs at most once a minute; only directories of that naming pattern holding nothing but
 * {@code *.png} files are touched, so a results directory shared with other files is safe.
 */
public final class ImageOutputs {
    /** The maximum age when none is configured. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
    static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    private static final int MAX_NAME = 96;
    private static final Pattern TASK_DIR = Pattern.compile(".+-[0-9a-f]{12}");
    private static final Logger LOG = Logger.getLogger(ImageOutputs.class);

    private final int inlineLimit;
    private final long inlineBudget;
    private final Path resultsDir;
    private final Duration maxAge;
    private final Clock clock;
    private final ReadWriteLock sweeping = new ReentrantReadWriteLock();
    private volatile Instant lastSweep = Instant.MIN;

    /** As below, with {@link #DEFAULT_MAX_AGE} and the system clock. */
    public ImageOutputs(int inlineLimit, long inlineBudget, Path resultsDir) {
        this(inlineLimit, inlineBudget, resultsDir, DEFAULT_MAX_AGE, Clock.systemUTC());
    }

    /**
     * @param inlineLimit  largest PNG sent inline
     * @param inlineBudget largest total of inline PNG bytes in one result (keeps the record under Kafka's limit)
     * @param maxAge       how long a task's result files are kept after its directory last changed
     */
    public ImageOutputs(int inlineLimit, long inlineBudget, Path resultsDir, Duration maxAge, Clock clock) {
        this.inlineLimit = inlineLimit;
        this.inlineBudget = inlineBudget;
        this.resultsDir = requireNonNull(resultsDir, "resultsDir is null").toAbsolutePath();
        this.maxAge = requireNonNull(maxAge, "maxAge is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("the results' maximum age must be positive, got " + maxAge);
        }
    }

    /** Running total of one result's inline bytes. */
    public static final class Budget {
        long used;
    }

    /** Fills an image object's mediaType, size, sha256 and data or uri. */
    public void write(ObjectNode target, Image image, String taskId, String role, int index, Budget budget) {
        byte[] png = ImageCodec.encodePng(image);
        describe(target, image);
        target.put("sha256", sha256(png));
        if (png.length <= inlineLimit && budget.used + png.length <= inlineBudget) {
            budget.used += png.length;
            target.put("data", Base64.getEncoder().encodeToString(png));
            return;
        }
        Path file = taskDirectory(taskId).resolve(safe(role) + "-" + index + ".png");
        maybeSweep();
        sweeping.readLock().lock();
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write result image " + file, e);
        } finally {
            sweeping.readLock().unlock();
        }
        target.put("uri", file.toUri().toString());
    }

    /** Fills an image object's mediaType, size and inline data, whatever its size (progress previews). */
    public static void writeInline(ObjectNode target, Image image) {
        describe(target, image);
        target.put("data", Base64.getEncoder().encodeToString(ImageCodec.encodePng(image)));
    }

    private static void describe(ObjectNode target, Image image) {
        target.put("mediaType", "image/png");
        target.put("width", image.width());
        target.put("height", image.height());
        target.put("channels", image.channels());
    }

    /** Where the files of {@code taskId} go: its sanitised id (bounded) and a short hash of the raw id. */
    Path taskDirectory(String taskId) {
        String name = safe(taskId);
        if (name.length() > MAX_NAME) {
            name = name.substring(0, MAX_NAME);
        }
        return resultsDir.resolve(name + "-" + sha256(taskId.getBytes(StandardCharsets.UTF_8)).substring(0, 12));
    }

    private void maybeSweep() {
        Instant now = clock.instant();
        if (Duration.between(lastSweep, now).compareTo(SWEEP_INTERVAL) >= 0) {
            lastSweep = now;
            sweep();
        }
    }

    /**
     * Deletes the task directories whose last change is older than the maximum age.
     *
     * @return how many were deleted
     */
    public int sweep() {
        if (!Files.isDirectory(resultsDir)) {
            return 0;
        }
        Instant cutoff = clock.instant().minus(maxAge);
        int deleted = 0;
        sweeping.writeLock().lock();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(resultsDir)) {
            for (Path dir : dirs) {
                if (TASK_DIR.matcher(dir.getFileName().toString()).matches() && Files.isDirectory(dir)
                        && Files.getLastModifiedTime(dir).toInstant().isBefore(cutoff) && deletePngDirectory(dir)) {
                    deleted++;
                }
            }
        } catch (IOException e) {
            LOG.warnf("cannot sweep old results in %s: %s", resultsDir, e.toString());
        } finally {
            sweeping.writeLock().unlock();
        }
        if (deleted > 0) {
            LOG.infof("deleted %d result directories older than %s from %s", deleted, maxAge, resultsDir);
        }
        return deleted;
    }

    private static boolean deletePngDirectory(Path dir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                if (!Files.isRegularFile(f) || !f.getFileName().toString().endsWith(".png")) {
                    return false;
                }
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
        try {
            Files.deleteIfExists(dir);
        } catch (NoSuchFileException e) {
            return false;
        }
        return true;
    }

    private static String safe(String name) {
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return cleaned.isEmpty() || cleaned.startsWith(".") ? "_" + cleaned : cleaned;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
