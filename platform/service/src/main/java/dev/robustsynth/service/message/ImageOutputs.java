package dev.robustsynth.service.message;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.spi.Image;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encodes result images as PNG: inline base64 up to the inline limit (and while the result's inline budget
 * lasts), otherwise written under the results directory and referenced by a file: URI.
 */
public final class ImageOutputs {
    private final int inlineLimit;
    private final long inlineBudget;
    private final Path resultsDir;

    /**
     * @param inlineLimit  largest PNG sent inline
     * @param inlineBudget largest total of inline PNG bytes in one result (keeps the record under Kafka's limit)
     */
    public ImageOutputs(int inlineLimit, long inlineBudget, Path resultsDir) {
        this.inlineLimit = inlineLimit;
        this.inlineBudget = inlineBudget;
        this.resultsDir = requireNonNull(resultsDir, "resultsDir is null").toAbsolutePath();
    }

    /** Running total of one result's inline bytes. */
    public static final class Budget {
        long used;
    }

    /** Fills an image object's mediaType, size, sha256 and data or uri. */
    public void write(ObjectNode target, Image image, String taskId, String role, int index, Budget budget) {
        byte[] png = ImageCodec.encodePng(image);
        target.put("mediaType", "image/png");
        target.put("width", image.width());
        target.put("height", image.height());
        target.put("channels", image.channels());
        target.put("sha256", sha256(png));
        if (png.length <= inlineLimit && budget.used + png.length <= inlineBudget) {
            budget.used += png.length;
            target.put("data", Base64.getEncoder().encodeToString(png));
            return;
        }
        Path file = resultsDir.resolve(safe(taskId)).resolve(safe(role) + "-" + index + ".png");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, png);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write result image " + file, e);
        }
        target.put("uri", file.toUri().toString());
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
