package dev.robustsynth.service.playground;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.cli.RsynthClientException;
import dev.robustsynth.cli.TaskSubmission;
import dev.robustsynth.cli.WireFormat;
import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.engine.image.ImageDecodeException;
import dev.robustsynth.engine.image.ImageLimits;
import dev.robustsynth.pgd.Resample;
import dev.robustsynth.service.ServiceAssembly;
import dev.robustsynth.service.ServiceLifecycle;
import dev.robustsynth.service.config.RsynthConfig;
import dev.robustsynth.service.intake.SchemaCatalog;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelInfo;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * The playground's gateway: the page submits tasks here and follows them as server-sent events. Requests get the
 * same checks as any Kafka request (the service runs them all); here, before Kafka, the record's size limit
 * ({@code rsynth.max-message-bytes}), no image by reference (a browser has no business naming the service's
 * files: {@code IMAGE_URI_REFUSED}), JSON bodies only, and the same-origin rule ({@link SameOrigin}).
 */
@Path("/api/v1/playground")
@Produces(MediaType.APPLICATION_JSON)
public class PlaygroundResource {
    @Inject
    RsynthConfig config;

    @Inject
    ServiceLifecycle lifecycle;

    @Inject
    PlaygroundGateway gateway;

    @Context
    HttpHeaders headers;

    /** A served model as the page needs it: shape, classes, feature layers, synthesis defaults. */
    public record ModelCard(String name, List<String> classes, int channels, int height, int width,
                            List<Layer> layers, boolean robust, Map<String, Number> defaults) {
    }

    /** An exposed layer: channels = the first axis of its shape. */
    public record Layer(String name, List<Integer> shape, int channels, String description) {
    }

    /** An uploaded image brought to a model's size (or a fraction of it) by the service's resampler. */
    public record Fitted(String dataUrl, int channels, int height, int width, int originalHeight, int originalWidth) {
    }

    @GET
    @Path("/models")
    public List<ModelCard> models() {
        ServiceAssembly s = service();
        return new TreeSet<>(s.engine().modelNames()).stream().map(n -> s.engine().modelInfo(n))
                .flatMap(java.util.Optional::stream).map(PlaygroundResource::card).toList();
    }

    /**
     * Decodes an uploaded PNG/JPEG within the service's image limits and resamples it (area averaging) to the
     * model's shape divided by {@code divisor} (superres wants a low-resolution input).
     */
    @POST
    @Path("/fit")
    @Consumes(MediaType.APPLICATION_JSON)
    public Fitted fit(String body) {
        guard(body);
        ObjectNode json = parse(body);
        ModelInfo model = model(json.path("model").asText(null));
        int divisor = json.path("divisor").asInt(1);
        if (divisor < 1 || model.height() % divisor != 0 || model.width() % divisor != 0) {
            throw PlaygroundRefusal.badRequest("INVALID_PARAMETERS", "validate", "divisor " + divisor
                    + " does not divide the model's " + model.height() + "x" + model.width());
        }
        byte[] bytes = imageBytes(json.path("image"), "image");
        ImageLimits limits = new ImageLimits(config.maxMessageBytes(), config.maxImageSide(), config.maxImageSide(),
                config.maxImagePixels());
        try {
            Image original = ImageCodec.decode(bytes, limits);
            Image fitted = ImageCodec.conform(original, model.channels(), model.height() / divisor,
                    model.width() / divisor, Resample.AREA);
            return new Fitted("data:image/png;base64," + Base64.getEncoder().encodeToString(
                    ImageCodec.encodePng(fitted)), fitted.channels(), fitted.height(), fitted.width(),
                    original.height(), original.width());
        } catch (ImageDecodeException e) {
            String code = switch (e.code()) {
                case TOO_LARGE -> "IMAGE_TOO_LARGE";
                case WRONG_SHAPE -> "WRONG_IMAGE_SHAPE";
                default -> "UNDECODABLE_IMAGE";
            };
            throw PlaygroundRefusal.badRequest(code, "validate", e.getMessage());
        }
    }

    /**
     * Publishes a request.v1 record without its {@code id} ({@code type, params, model?, seed?, priority?, deadline?,
     * progress?}; checked against request.v1 here, so the page sees schema errors at once) under a fresh id and answers
     * 202 with it; the outcome (or the service's refusal) arrives on {@code /tasks/{id}/events}.
     */
    @POST
    @Path("/tasks")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(String body) {
        guard(body);
        ObjectNode json = parse(body);
        if (json.path("type").asText("").isBlank()) {
            throw PlaygroundRefusal.badRequest("MISSING_FIELD", "parse", "the request has no 'type'");
        }
        String id = "playground-" + UUID.randomUUID();
        tools.jackson.databind.node.ObjectNode request = (tools.jackson.databind.node.ObjectNode) Json.parse(
                body.getBytes(StandardCharsets.UTF_8));
        request.put("id", id);
        List<String> problems = SchemaCatalog.problems(service().schemas().message("request.v1.schema.json"),
                request, "");
        if (!problems.isEmpty()) {
            throw PlaygroundRefusal.badRequest("SCHEMA_VIOLATION", "validate", SchemaCatalog.summary(problems));
        }
        refuseUris(json.get("params"), "params");
        TaskSubmission.Builder b = TaskSubmission.builder(json.get("type").asText()).id(id)
                .params((ObjectNode) json.get("params"));
        if (json.hasNonNull("model")) {
            b.model(json.get("model").asText());
        }
        if (json.hasNonNull("seed")) {
            b.seed(json.get("seed").asLong());
        }
        if (json.hasNonNull("priority")) {
            b.priority(json.get("priority").asInt());
        }
        if (json.hasNonNull("deadline")) {
            try {
                b.deadline(OffsetDateTime.parse(json.get("deadline").asText()).toInstant());
            } catch (DateTimeParseException e) {
                throw PlaygroundRefusal.badRequest("SCHEMA_VIOLATION", "validate",
                        "'deadline' is not an RFC 3339 date-time: " + e.getMessage());
            }
        }
        if (json.hasNonNull("progress")) {
            JsonNode progress = json.get("progress");
            b.progress(progress.get("every").asInt(), progress.path("previews").asBoolean(false));
        }
        TaskSubmission task = b.build();
        int size = WireFormat.encodeRequest(task).length;
        if (size > config.maxMessageBytes()) {
            throw tooLarge(size);
        }
        try {
            return Response.accepted(gateway.submit(task)).build();
        } catch (RsynthClientException e) {
            throw new PlaygroundRefusal(503, "UNAVAILABLE", "gateway", e.getMessage());
        }
    }

    /** Every event of the task so far, then the rest until its outcome. */
    @GET
    @Path("/tasks/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<PlaygroundEvent> events(@PathParam("id") String id) {
        enabled();
        return gateway.feed(id).orElseThrow(() -> new NotFoundException("no playground task '" + id + "'")).stream();
    }

    @POST
    @Path("/tasks/{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response cancel(@PathParam("id") String id, String body) {
        guard(body);
        try {
            if (!gateway.cancel(id)) {
                throw new NotFoundException("no playground task '" + id + "'");
            }
        } catch (RsynthClientException e) {
            throw new PlaygroundRefusal(503, "UNAVAILABLE", "gateway", e.getMessage());
        }
        return Response.accepted(Map.of("id", id, "action", "cancel")).build();
    }

    private void guard(String body) {
        enabled();
        SameOrigin.check(headers);
        int size = body == null ? 0 : body.getBytes(StandardCharsets.UTF_8).length;
        if (size > config.maxMessageBytes() + 65_536) {
            throw tooLarge(size);
        }
    }

    private void enabled() {
        if (!config.playgroundEnabled()) {
            throw new NotFoundException();
        }
    }

    private PlaygroundRefusal tooLarge(int size) {
        return new PlaygroundRefusal(413, "MESSAGE_TOO_LARGE", "parse", "the request is " + size
                + " bytes; the limit is " + config.maxMessageBytes() + " (rsynth.max-message-bytes)");
    }

    private static ObjectNode parse(String body) {
        JsonNode node;
        try {
            node = WireFormat.mapper().readTree(body == null ? "" : body);
        } catch (JacksonException e) {
            throw PlaygroundRefusal.badRequest("NOT_JSON", "parse", "the body is not JSON: "
                    + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw PlaygroundRefusal.badRequest("NOT_AN_OBJECT", "parse", "the body is not a JSON object");
        }
        return (ObjectNode) node;
    }

    /** Any {@code uri} member anywhere in the parameters: images come inline from a browser. */
    private static void refuseUris(JsonNode node, String path) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("uri")) {
                    throw PlaygroundRefusal.badRequest("IMAGE_URI_REFUSED", "validate", path
                            + " names an image by reference (" + abbreviate(e.getValue().asText()) + "); the "
                            + "playground sends images inline only");
                }
                refuseUris(e.getValue(), path + "." + e.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseUris(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static byte[] imageBytes(JsonNode image, String name) {
        refuseUris(image, name);
        JsonNode data = image.path("data");
        if (!data.isTextual()) {
            throw PlaygroundRefusal.badRequest("UNDECODABLE_IMAGE", "validate", "'" + name
                    + "' must be {\"data\": \"<base64 PNG or JPEG>\"}");
        }
        try {
            return Base64.getDecoder().decode(data.asText().replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw PlaygroundRefusal.badRequest("UNDECODABLE_IMAGE", "validate", "'" + name
                    + "': data is not valid base64 (" + e.getMessage() + ")");
        }
    }

    private ModelInfo model(String name) {
        ServiceAssembly s = service();
        String wanted = name != null ? name : config.defaultModel().orElse(null);
        if (wanted == null) {
            throw PlaygroundRefusal.badRequest("MISSING_FIELD", "parse", "no 'model' given and no default model");
        }
        return s.engine().modelInfo(wanted).orElseThrow(() -> PlaygroundRefusal.badRequest("UNKNOWN_MODEL", "route",
                "unknown model '" + wanted + "'; served: " + String.join(", ", new TreeSet<>(s.engine()
                        .modelNames()))));
    }

    private ServiceAssembly service() {
        enabled();
        ServiceAssembly s = lifecycle.assembly();
        if (s == null) {
            throw new PlaygroundRefusal(503, "UNAVAILABLE", "gateway", "the service is not started");
        }
        return s;
    }

    private static ModelCard card(ModelInfo m) {
        List<Layer> layers = m.layers().stream().map(l -> new Layer(l.name(),
                Arrays.stream(l.shape()).boxed().toList(), l.shape().length == 0 ? 0 : l.shape()[0],
                l.description())).toList();
        return new ModelCard(m.name(), m.classes(), m.channels(), m.height(), m.width(), layers,
                m.threatModel().isPresent(), Map.of("eps", m.defaults().eps(), "stepSize", m.defaults().stepSize(),
                "steps", m.defaults().steps()));
    }
}
