package dev.robustsynth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.cli.OutcomeImage;
import dev.robustsynth.cli.TaskOutcome;
import dev.robustsynth.cli.WireFormat;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Writes a result to a directory: each image as {@code <id>-<role>-<index>.png} (JPEGs re-encoded),
 * and the result JSON as {@code <id>.json} with each image's base64 {@code data} replaced by the name of
 * its file; then prints the one-line summary and, for a failure, the error on stderr.
 */
final class OutcomeWriter {
    /** What was written, and what could not be. */
    record Written(List<Path> images, Path json, List<String> warnings) {
    }

    private OutcomeWriter() {
    }

    /** Writes, reports, and returns the exit code for the outcome (ERROR when an image was not written). */
    static int report(TaskOutcome outcome, Path outDir, PrintWriter out, PrintWriter err) throws IOException {
        Written written = write(outcome, outDir);
        written.warnings().forEach(w -> err.println("rsynth: warning: " + w));
        out.println(summary(outcome, written));
        out.flush();
        outcome.error().ifPresent(e -> err.println("rsynth: task " + outcome.id() + " " + outcome.status() + ": "
                + e.code() + (e.stage().isEmpty() ? "" : " (stage " + e.stage() + ")") + ": " + e.message()
                + (e.details().isEmpty() ? "" : "; details: " + e.details())));
        if (outcome.error().isEmpty() && !outcome.succeeded()) {
            err.println("rsynth: task " + outcome.id() + " " + outcome.status() + " without an error object");
        }
        err.flush();
        int code = ExitCodes.of(outcome.status());
        return code == ExitCodes.SUCCEEDED && written.images().size() < outcome.images().size() ? ExitCodes.ERROR : code;
    }

    static Written write(TaskOutcome outcome, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        String stem = safe(outcome.id());
        ObjectNode json = outcome.json().deepCopy();
        JsonNode imagesJson = json.path("images");
        List<Path> images = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < outcome.images().size(); i++) {
            OutcomeImage image = outcome.images().get(i);
            String name = stem + "-" + safe(image.role()) + "-" + image.index() + ".png";
            if (!image.hasBytes()) {
                warnings.add("image " + image.role() + "[" + image.index() + "] not written: "
                        + image.unavailableReason().orElse("no bytes"));
                continue;
            }
            byte[] png = toPng(image.bytes());
            if (png == null) {
                warnings.add("image " + image.role() + "[" + image.index() + "] (" + image.mediaType()
                        + ") could not be decoded; not written");
                continue;
            }
            Path file = outDir.resolve(name);
            Files.write(file, png);
            images.add(file);
            if (imagesJson instanceof ArrayNode array && array.get(i) instanceof ObjectNode node) {
                node.remove("data");
                node.put("file", name);
            }
        }
        Path jsonFile = outDir.resolve(stem + ".json");
        WireFormat.mapper().writerWithDefaultPrettyPrinter().writeValue(jsonFile.toFile(), json);
        return new Written(images, jsonFile, warnings);
    }

    static String summary(TaskOutcome outcome, Written written) {
        StringBuilder sb = new StringBuilder().append(outcome.status()).append(' ').append(outcome.id())
                .append(' ').append(outcome.type());
        String model = outcome.provenance().path("model").asText("");
        if (!model.isEmpty()) {
            sb.append(" model=").append(model);
        }
        if (outcome.succeeded()) {
            sb.append(": ").append(written.images().size()).append(written.images().size() == 1 ? " image" : " images");
        } else {
            outcome.error().ifPresent(e -> sb.append(": ").append(e.code()));
        }
        sb.append(" -> ").append(written.json().getParent());
        JsonNode p = outcome.provenance();
        if (p.path("runMillis").isNumber()) {
            sb.append(" (queue ").append(p.path("queueMillis").asLong()).append(" ms, run ")
                    .append(p.path("runMillis").asLong()).append(" ms)");
        }
        return sb.toString();
    }

    /** The bytes as PNG: unchanged when they already are, re-encoded when Java can decode them, else null. */
    static byte[] toPng(byte[] bytes) throws IOException {
        if (RequestOptions.isPng(bytes)) {
            return bytes;
        }
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(bytes));
        if (decoded == null) {
            return null;
        }
        var png = new java.io.ByteArrayOutputStream();
        ImageIO.write(decoded, "png", png);
        return png.toByteArray();
    }

    /** A file-name-safe version of an id or role. */
    static String safe(String text) {
        String s = text.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }
}
