package dev.robustsynth.service.message;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.pgd.Resample;
import dev.robustsynth.service.intake.FailureCode;
import dev.robustsynth.service.intake.Stage;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.Progress;
import dev.robustsynth.spi.ResultImage;
import dev.robustsynth.spi.TaskResult;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the JSON of results and progress events (schemas/result.v1, schemas/progress.v1). A progress event's
 * previews are inline PNGs, at most {@value #MAX_PREVIEWS}, each at most {@value #PREVIEW_SIDE} pixels on its long side.
 */
public final class ResultMessages {
    /** At most this many preview images per progress event (progress.v1). */
    public static final int MAX_PREVIEWS = 4;
    /** The longest side of a preview image, in pixels (progress.v1). */
    public static final int PREVIEW_SIDE = 64;
    private final ImageOutputs images;

    public ResultMessages(ImageOutputs images) {
        this.images = requireNonNull(images, "images is null");
    }

    /** A SUCCEEDED result; images are numbered per role in the task's order. */
    public ObjectNode success(String id, String type, TaskResult result, Provenance provenance) {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("type", type);
        json.put("status", "SUCCEEDED");
        ArrayNode array = json.putArray("images");
        Map<String, Integer> perRole = new HashMap<>();
        ImageOutputs.Budget budget = new ImageOutputs.Budget();
        for (ResultImage image : result.images()) {
            int index = perRole.merge(image.role(), 1, Integer::sum) - 1;
            ObjectNode node = array.addObject();
            node.put("role", image.role());
            node.put("index", index);
            images.write(node, image.image(), id, image.role(), index, budget);
            node.set("metadata", Json.fromPlain(image.metadata()));
        }
        json.set("metadata", Json.fromPlain(result.metadata()));
        json.set("provenance", provenance.toJson());
        return json;
    }

    /** A FAILED (or, for code CANCELLED, CANCELLED) result. */
    public ObjectNode failure(String id, String type, FailureCode code, Stage stage, String message,
                              Optional<Provenance> provenance) {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("type", type);
        json.put("status", code == FailureCode.CANCELLED ? "CANCELLED" : "FAILED");
        json.putArray("images");
        ObjectNode error = json.putObject("error");
        error.put("code", code.name());
        error.put("message", message.isBlank() ? code.name() : message);
        error.put("stage", stage.wireName());
        provenance.ifPresent(p -> json.set("provenance", p.toJson()));
        return json;
    }

    public ObjectNode progress(String id, String type, Progress progress) {
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("type", type);
        json.put("stage", progress.stage());
        json.put("step", Math.max(0, progress.step()));
        json.put("totalSteps", Math.max(0, progress.totalSteps()));
        json.put("fraction", progress.fraction());
        ObjectNode metrics = json.putObject("metrics");
        progress.metrics().forEach((k, v) -> {
            if (v != null && Double.isFinite(v)) {
                metrics.put(k, v);
            }
        });
        if (!progress.previews().isEmpty()) {
            ArrayNode previews = json.putArray("previews");
            progress.previews().stream().limit(MAX_PREVIEWS)
                    .forEach(image -> ImageOutputs.writeInline(previews.addObject(), preview(image)));
        }
        json.put("at", Instant.now().toString());
        return json;
    }

    /** {@code image} area-averaged down to at most {@value #PREVIEW_SIDE} pixels on its long side. */
    static Image preview(Image image) {
        int side = Math.max(image.height(), image.width());
        if (side <= PREVIEW_SIDE) {
            return image;
        }
        double scale = (double) PREVIEW_SIDE / side;
        return ImageCodec.resize(image, Math.max(1, (int) Math.round(image.height() * scale)),
                Math.max(1, (int) Math.round(image.width() * scale)), Resample.AREA);
    }

    /** For tests and the README: the fields of a result in their documented order. */
    public static List<String> resultFields() {
        return List.of("id", "type", "status", "images", "metadata", "provenance", "error");
    }
}
