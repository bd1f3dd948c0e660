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

    /**
     * The manifest.jsonl line of a job item that a cancel kept from ever being published: status and error CANCELLED,
     * no files. The service writes it into the job's manifest and {@code rsynth job fetch} into the fetched one.
     */
    public static ObjectNode manifestLineNeverPublished(String jobId, long index) {
        ObjectNode line = JsonNodeFactory.instance.objectNode();
        line.put("index", index);
        line.put("id", jobId + "/" + index);
        line.put("status", "CANCELLED");
        line.putArray("files");
        line.putArray("images");
        line.putNull("provenance");
        line.putObject("error").put("code", "CANCELLED")
                .put("message", "the job was cancelled before this item was published");
        return line;
    }

    /** {@code {"action": "cancel-job", "id": …}}: cancel a bulk job's items not yet done. */
    public static byte[] encodeCancelJob(String jobId) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("action", "cancel-job");
        json.put("id", jobId);
        return bytes(json);
    }

    public static ObjectNode jobJson(JobRequest job) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", job.id());
        json.put("type", job.type());
        job.model().ifPresent(m -> json.put("model", m));
        if (!job.params().isEmpty()) {
            json.set("params", job.params());
        }
        job.seed().ifPresent(s -> json.put("seed", s));
        job.priority().ifPresent(p -> json.put("priority", p));
        job.window().ifPresent(w -> json.put("window", w));
        ObjectNode items = json.putObject("items");
        switch (job.items()) {
            case ItemSource.ItemList list -> list.items().forEach(items.putArray("list")::add);
            case ItemSource.Generator g -> {
                ObjectNode generator = items.putObject("generator");
                g.classes().forEach(generator.putArray("classes")::add);
                generator.put("count", g.count());
            }
            case ItemSource.Folder f -> items.putObject("folder").put("uri", f.uri().toString()).put("param", f.param());
            case ItemSource.Manifest m -> items.putObject("manifest").put("uri", m.uri().toString())
                    .put("param", m.param());
        }
        return json;
    }

    public static byte[] encodeJob(JobRequest job) {
        return bytes(jobJson(job));
    }

    /**
     * A job.v1 document (a {@code --file}): strict, since the service refuses unknown fields too. Throws
     * {@link MalformedMessageException} naming what is wrong, IllegalArgumentException for values job.v1 refuses.
     */
    public static JobRequest decodeJob(byte[] value) {
        ObjectNode json = object(value, "job");
        unknownFields(json, java.util.Set.of("id", "type", "model", "params", "seed", "priority", "window", "items"),
                "job");
        JsonNode params = json.path("params");
        if (!params.isMissingNode() && !params.isObject()) {
            throw new MalformedMessageException("job 'params' must be an object");
        }
        if (!(json.path("items") instanceof ObjectNode items) || items.size() != 1) {
            throw new MalformedMessageException("job 'items' must be an object with exactly one of list, generator,"
                    + " folder, manifest");
        }
        String kind = items.fieldNames().next();
        JsonNode source = items.get(kind);
        ItemSource itemSource = switch (kind) {
            case "list" -> {
                if (!source.isArray()) {
                    throw new MalformedMessageException("job items.list must be an array of objects");
                }
                List<ObjectNode> list = new ArrayList<>();
                for (JsonNode item : source) {
                    if (!(item instanceof ObjectNode o)) {
                        throw new MalformedMessageException("job items.list[" + list.size() + "] is not an object");
                    }
                    list.add(o);
                }
                yield new ItemSource.ItemList(list);
            }
            case "generator" -> {
                ObjectNode g = objectField(items, "generator");
                unknownFields(g, java.util.Set.of("classes", "count"), "job items.generator");
                List<String> classes = new ArrayList<>();
                for (JsonNode c : g.path("classes")) {
                    if (!c.isTextual()) {
                        throw new MalformedMessageException("job items.generator.classes must be strings");
                    }
                    classes.add(c.asText());
                }
                if (!g.path("count").canConvertToInt()) {
                    throw new MalformedMessageException("job items.generator needs an integer 'count'");
                }
                yield new ItemSource.Generator(classes, g.get("count").asInt());
            }
            case "folder", "manifest" -> {
                ObjectNode f = objectField(items, kind);
                unknownFields(f, java.util.Set.of("uri", "param"), "job items." + kind);
                URI uri;
                try {
                    uri = URI.create(requiredText(f, "uri", "job items." + kind));
                } catch (IllegalArgumentException e) {
                    throw new MalformedMessageException("job items." + kind + ".uri is not a URI: " + e.getMessage());
                }
                String param = requiredText(f, "param", "job items." + kind);
                yield kind.equals("folder") ? new ItemSource.Folder(uri, param) : new ItemSource.Manifest(uri, param);
            }
            default -> throw new MalformedMessageException("job items has unknown source '" + kind
                    + "'; expected one of list, generator, folder, manifest");
        };
        for (String field : List.of("seed", "priority", "window")) {
            if (json.has(field) && !json.get(field).canConvertToLong()) {
                throw new MalformedMessageException("job '" + field + "' must be an integer");
            }
        }
        return new JobRequest(requiredText(json, "id", "job"), requiredText(json, "type", "job"),
                json.path("model").isTextual() ? Optional.of(json.get("model").asText()) : Optional.empty(),
                params.isObject() ? (ObjectNode) params : JsonNodeFactory.instance.objectNode(),
                json.has("seed") ? java.util.OptionalLong.of(json.get("seed").asLong()) : java.util.OptionalLong.empty(),
                json.has("priority") ? java.util.OptionalInt.of(json.get("priority").asInt())
                        : java.util.OptionalInt.empty(),
                json.has("window") ? java.util.OptionalInt.of(json.get("window").asInt())
                        : java.util.OptionalInt.empty(),
                itemSource);
    }

    /** A job-status.v1 record; counters the service left out are 0. */
    public static JobStatus decodeJobStatus(byte[] value) {
        ObjectNode json = object(value, "job status");
        String id = requiredText(json, "id", "job status");
        String state = requiredText(json, "state", "job status");
        Optional<TaskError> error = Optional.empty();
        JsonNode e = json.path("error");
        if (e.isObject()) {
            error = Optional.of(new TaskError(e.path("code").asText("UNKNOWN"), e.path("message").asText(""), "",
                    objectOrEmpty(e.path("details"))));
        }
        long total = json.path("total").asLong(0);
        long succeeded = json.path("succeeded").asLong(0);
        long failed = json.path("failed").asLong(0);
        long cancelled = json.path("cancelled").asLong(0);
        return new JobStatus(id, JobState.parse(state), json.path("type").asText(""), json.path("model").asText(""),
                total, json.path("published").asLong(0), succeeded, failed, cancelled,
                json.path("remaining").asLong(Math.max(0, total - succeeded - failed - cancelled)),
                json.path("ratePerSecond").isNumber() ? java.util.OptionalDouble.of(json.get("ratePerSecond").asDouble())
                        : java.util.OptionalDouble.empty(),
                json.path("etaSeconds").isNumber() ? java.util.OptionalLong.of(json.get("etaSeconds").asLong())
                        : java.util.OptionalLong.empty(),
                instant(json.path("startedAt")), instant(json.path("updatedAt")),
                json.path("output").isTextual() ? Optional.of(json.get("output").asText()) : Optional.empty(),
                json.path("manifest").isTextual() ? Optional.of(json.get("manifest").asText()) : Optional.empty(),
                error, json);
    }

    private static ObjectNode objectField(ObjectNode parent, String field) {
        if (!(parent.get(field) instanceof ObjectNode o)) {
            throw new MalformedMessageException("job items." + field + " must be an object");
        }
        return o;
    }

    private static void unknownFields(ObjectNode json, java.util.Set<String> known, String what) {
        List<String> unknown = new ArrayList<>();
        json.fieldNames().forEachRemaining(n -> {
            if (!known.contains(n)) {
                unknown.add(n);
            }
        });
        if (!unknown.isEmpty()) {
            throw new MalformedMessageException(what + " has unknown field(s) " + unknown + "; known: "
                    + known.stream().sorted().toList());
        }
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
