package dev.robustsynth.service.intake;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.engine.Engine;
import dev.robustsynth.pluginhost.HostedFactory;
import dev.robustsynth.pluginhost.PluginHost;
import dev.robustsynth.pluginhost.PreparedTask;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Parameters;
import dev.robustsynth.spi.TaskException;
import dev.robustsynth.spi.TaskRequest;
import dev.robustsynth.spi.ValidationContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks one record of the tasks topic, in this order, stopping at the first problem: size, JSON, object, required
 * fields, known type, envelope and parameter schemas, known model, images (decodable, within limits, right shape),
 * the factory's own checks. (Whether the id is already in flight is the dispatcher's check, made last.)
 */
public final class RequestIntake {
    private final PluginHost plugins;
    private final Engine engine;
    private final SchemaCatalog schemas;
    private final ImageInputs images;
    private final int maxMessageBytes;
    private final Optional<String> defaultModel;

    public RequestIntake(PluginHost plugins, Engine engine, SchemaCatalog schemas, ImageInputs images,
                         int maxMessageBytes, Optional<String> defaultModel) {
        this.plugins = requireNonNull(plugins, "plugins is null");
        this.engine = requireNonNull(engine, "engine is null");
        this.schemas = requireNonNull(schemas, "schemas is null");
        this.images = requireNonNull(images, "images is null");
        this.maxMessageBytes = maxMessageBytes;
        this.defaultModel = requireNonNull(defaultModel, "defaultModel is null");
    }

    /** The model a request without {@code model} runs on, if there is one. */
    public Optional<String> defaultModel() {
        if (defaultModel.isPresent()) {
            return defaultModel;
        }
        return engine.modelNames().size() == 1 ? Optional.of(engine.modelNames().iterator().next()) : Optional.empty();
    }

    public Intake check(ConsumerRecord<byte[], byte[]> record, Instant receivedAt) {
        String fallbackId = fallbackId(record);
        String id = fallbackId;
        String type = "";
        try {
            ObjectNode json = parse(record.value());
            id = text(json, "id").orElse(fallbackId);
            type = text(json, "type").orElse("");
            return accept(json, record, receivedAt);
        } catch (RejectedException e) {
            return new Rejection(id, type, e.code, e.stage, e.getMessage(), Optional.ofNullable(e.getCause()));
        } catch (Throwable e) { // OutOfMemoryError, StackOverflowError, a plugin's LinkageError: this record fails
            return new Rejection(id, type, FailureCode.INTERNAL, Stage.VALIDATE,
                    "the request could not be checked: " + e, Optional.of(e));
        }
    }

    private ObjectNode parse(byte[] value) throws RejectedException {
        if (value == null || value.length == 0) {
            throw new RejectedException(FailureCode.NOT_JSON, Stage.PARSE, "the request record has no value");
        }
        if (value.length > maxMessageBytes) {
            throw new RejectedException(FailureCode.MESSAGE_TOO_LARGE, Stage.PARSE, "the request is " + value.length
                    + " bytes; the limit is " + maxMessageBytes + " (rsynth.max-message-bytes); send large images "
                    + "by uri");
        }
        JsonNode node;
        try {
            node = Json.parse(value);
        } catch (JacksonException e) {
            throw new RejectedException(FailureCode.NOT_JSON, Stage.PARSE, "the request is not JSON: "
                    + e.getOriginalMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new RejectedException(FailureCode.NOT_AN_OBJECT, Stage.PARSE, "the request is a JSON "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + "; expected an object "
                    + "{\"id\", \"type\", \"params\", ...}");
        }
        return object;
    }

    private Intake accept(ObjectNode json, ConsumerRecord<byte[], byte[]> record, Instant receivedAt)
            throws RejectedException {
        for (String field : List.of("id", "type", "params")) {
            if (!json.has(field) || json.get(field).isNull()) {
                throw new RejectedException(FailureCode.MISSING_FIELD, Stage.VALIDATE, "the request has no '"
                        + field + "'; required: id, type, params");
            }
        }
        String type = text(json, "type").orElseThrow(() -> new RejectedException(FailureCode.SCHEMA_VIOLATION,
                Stage.VALIDATE, "'type' is " + json.get("type") + "; expected a string"));
        HostedFactory factory = plugins.factory(type).orElseThrow(() -> new RejectedException(
                FailureCode.UNKNOWN_TYPE, Stage.ROUTE, "unknown task type '" + type + "'; known: "
                + String.join(", ", plugins.types())));
        List<String> problems = SchemaCatalog.problems(schemas.message("request.v1.schema.json"), json, "");
        if (problems.isEmpty()) {
            problems = SchemaCatalog.problems(schemas.task(type).orElseThrow(), json.get("params"), "params");
        }
        if (!problems.isEmpty()) {
            throw new RejectedException(FailureCode.SCHEMA_VIOLATION, Stage.VALIDATE, "the request does not match "
                    + (problems.get(0).startsWith("params") ? "the parameters of task type '" + type + "'"
                    : "the request schema") + ": " + SchemaCatalog.summary(problems));
        }
        String id = json.get("id").asString();
        ModelInfo model = model(json);
        ObjectNode params = (ObjectNode) json.get("params");
        Map<String, Image> decoded = new LinkedHashMap<>();
        ObjectNode provenanceParams = params.deepCopy();
        JsonNode taskSchema = schemas.taskSchemaNode(type).orElse(null);
        for (String name : new TreeSet<>(factory.descriptor().imageParameters())) {
            JsonNode reference = params.get(name);
            if (reference == null || reference.isNull()) {
                continue;
            }
            decoded.put(name, images.load(name, reference, ImageMode.declared(taskSchema, name), model));
            if (reference.has("data")) {
                byte[] bytes = images.bytes(name, reference);
                ObjectNode summary = Json.object();
                summary.put("sha256", sha256(bytes));
                summary.put("bytes", bytes.length);
                provenanceParams.set(name, summary);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> plain = (Map<String, Object>) Json.toPlain(params);
        long seed = json.has("seed") ? json.get("seed").longValue() : seedOf(id);
        TaskRequest request = new TaskRequest(id, type, model.name(), new Parameters(plain), seed, deadline(json));
        PreparedTask task;
        try {
            task = factory.prepare(new ValidationContext(request, model, decoded));
        } catch (TaskException e) {
            throw new RejectedException(FailureCode.of(e.code()), Stage.VALIDATE, e.getMessage(), e);
        }
        int priority = json.has("priority") ? json.get("priority").intValue() : 0;
        Optional<ProgressRequest> progress = json.hasNonNull("progress")
                ? Optional.of(ProgressRequest.of(json.get("progress"))) : Optional.empty();
        return new TaskEnvelope(request, model, task, provenanceParams, priority, receivedAt, RecordRef.of(record),
                progress, text(json, "job"));
    }

    private ModelInfo model(ObjectNode json) throws RejectedException {
        Optional<String> named = text(json, "model");
        String name = named.or(this::defaultModel).orElseThrow(() -> new RejectedException(
                FailureCode.UNKNOWN_MODEL, Stage.VALIDATE, "the request names no model and the service has no "
                + "default model (rsynth.default-model); known: " + String.join(", ", new TreeSet<>(engine.modelNames()))));
        return engine.modelInfo(name).orElseThrow(() -> new RejectedException(FailureCode.UNKNOWN_MODEL,
                Stage.VALIDATE, "unknown model '" + name + "'; known: "
                + String.join(", ", new TreeSet<>(engine.modelNames()))));
    }

    private static Optional<Instant> deadline(ObjectNode json) throws RejectedException {
        Optional<String> text = text(json, "deadline");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text.get()).toInstant());
        } catch (DateTimeParseException e) {
            throw new RejectedException(FailureCode.SCHEMA_VIOLATION, Stage.VALIDATE, "'deadline' is '" + text.get()
                    + "'; expected an RFC 3339 date-time such as 2026-11-26T18:00:00Z", e);
        }
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node != null && node.isString() && !node.asString().isEmpty() ? Optional.of(node.asString())
                : Optional.empty();
    }

    /** The record key as text, or {@code <topic>-<partition>-<offset>} when there is none. */
    public static String fallbackId(ConsumerRecord<byte[], byte[]> record) {
        if (record.key() != null && record.key().length > 0) {
            return new String(record.key(), StandardCharsets.UTF_8);
        }
        return record.topic() + "-" + record.partition() + "-" + record.offset();
    }

    /** The default seed: the first 8 bytes of SHA-256(id), so a redelivered request gives the same result. */
    public static long seedOf(String id) {
        return ByteBuffer.wrap(digest(id.getBytes(StandardCharsets.UTF_8))).getLong();
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest(bytes));
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
