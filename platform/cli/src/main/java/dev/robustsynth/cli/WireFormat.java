package dev.robustsynth.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON side of the wire contract: requests and control commands out, progress events and
 * results in. Reading is lenient about optional fields (a newer service may add some) and strict
 * about the ones a client cannot do without ({@code id}, a result's {@code status}).
 */
public final class WireFormat {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private WireFormat() {
    }

    /** The mapper used for every message (trailing tokens are an error). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode requestJson(TaskSubmission task) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", task.id());
        json.put("type", task.type());
        task.model().ifPresent(m -> json.put("model", m));
        json.set("params", task.params());
        task.seed().ifPresent(s -> json.put("seed", s));
        task.priority().ifPresent(p -> json.put("priority", p));
        task.deadline().ifPresent(d -> json.put("deadline", d.toString()));
        task.progress().ifPresent(p -> json.putObject("progress").put("every", p.every())
                .put("previews", p.previews()));
        return json;
    }

    public static byte[] encodeRequest(TaskSubmission task) {
        return bytes(requestJson(task));
    }

    public static byte[] encodeCancel(String id) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("action", "cancel");
        json.put("id", id);
        return bytes(json);
    }

    /** A progress event; of its previews only inline ones ({@code data}) are read, never a {@code uri}. */
    public static ProgressEvent decodeProgress(byte[] value) {
        ObjectNode json = object(value, "progress event");
        String id = requiredText(json, "id", "progress event");
        int step = json.path("step").asInt(0);
        int total = json.path("totalSteps").asInt(0);
        double fraction = json.path("fraction").isNumber()
                ? json.get("fraction").asDouble()
                : total > 0 ? (double) step / total : 0.0;
        Map<String, Double> metrics = new LinkedHashMap<>();
        json.path("metrics").properties().forEach(e -> {
            if (e.getValue().isNumber()) {
                metrics.put(e.getKey(), e.getValue().asDouble());
            }
        });
        List<OutcomeImage> previews = new ArrayList<>();
        JsonNode array = json.path("previews");
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i).path("data").isTextual()) {
                previews.add(image(array.get(i), i, "preview"));
            }
        }
        return new ProgressEvent(id, json.path("type").asText(""), json.path("stage").asText(""), step, total,
                Math.max(0.0, Math.min(1.0, fraction)), metrics, instant(json.path("at")), previews);
    }

    public static TaskOutcome decodeResult(byte[] value) {
        ObjectNode json = object(value, "result");
        String id = requiredText(json, "id", "result");
        String status = requiredText(json, "status", "result");
        List<OutcomeImage> images = new ArrayList<>();
        JsonNode array = json.path("images");
        for (int i = 0; i < array.size(); i++) {
            images.add(image(array.get(i), i, "result"));
        }
        Optional<TaskError> error = Optional.empty();
        JsonNode e = json.path("error");
        if (e.isObject()) {
            error = Optional.of(new TaskError(e.path("code").asText("UNKNOWN"), e.path("message").asText(""),
                    e.path("stage").asText(""), objectOrEmpty(e.path("details"))));
        }
        return new TaskOutcome(id, json.path("type").asText(""), TaskStatus.parse(status), images,
                objectOrEmpty(json.path("metadata")), objectOrEmpty(json.path("provenance")), error, json);
    }

    private static OutcomeImage image(JsonNode node, int position, String defaultRole) {
        String mediaType = node.path("mediaType").asText("image/png");
        byte[] bytes = new byte[0];
        Optional<URI> uri = Optional.empty();
        Optional<String> unavailable = Optional.empty();
        if (node.path("data").isTextual()) {
            try {
                bytes = Base64.getDecoder().decode(node.get("data").asText());
                if (bytes.length == 0) {
                    unavailable = Optional.of("data is empty");
                }
            } catch (IllegalArgumentException ex) {
                unavailable = Optional.of("data is not valid base64: " + ex.getMessage());
            }
        } else if (node.path("uri").isTextual()) {
            try {
                URI u = URI.create(node.get("uri").asText());
                uri = Optional.of(u);
                if ("file".equalsIgnoreCase(u.getScheme())) {
                    bytes = Files.readAllBytes(Path.of(u));
                } else {
                    unavailable = Optional.of("uri scheme '" + u.getScheme() + "' is not fetched by this client");
                }
            } catch (IllegalArgumentException | IOException ex) {
                unavailable = Optional.of("cannot read " + node.get("uri").asText() + ": " + ex);
            }
        } else {
            unavailable = Optional.of("image has neither 'data' nor 'uri'");
        }
        return new OutcomeImage(node.path("role").asText(defaultRole), node.path("index").asInt(position), mediaType,
                node.path("width").asInt(0), node.path("height").asInt(0), node.path("channels").asInt(0),
                bytes, uri, unavailable, objectOrEmpty(node.path("metadata")));
    }

    private static ObjectNode object(byte[] value, String what) {
        if (value == null) {
            throw new MalformedMessageException(what + " has no value");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(value);
        } catch (IOException e) {
            throw new MalformedMessageException(what + " is not JSON: " + e.getMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new MalformedMessageException(what + " is not a JSON object");
        }
        return object;
    }

    private static String requiredText(ObjectNode json, String field, String what) {
        JsonNode node = json.get(field);
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw new MalformedMessageException(what + " has no '" + field + "' string");
        }
        return node.asText();
    }

    private static JsonNode objectOrEmpty(JsonNode node) {
        return node.isObject() ? node : JsonNodeFactory.instance.objectNode();
    }

    private static Optional<Instant> instant(JsonNode node) {
        if (!node.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(node.asText()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static byte[] bytes(JsonNode json) {
        try {
            return MAPPER.writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
