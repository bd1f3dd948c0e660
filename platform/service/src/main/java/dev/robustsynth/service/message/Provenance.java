package dev.robustsynth.service.message;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.service.intake.RecordRef;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * How a result was made (schemas/provenance.v1.schema.json). Immutable; every field is required here, while
 * readers treat fields added later as optional.
 */
public record Provenance(String plugin, String pluginVersion, String spiVersion, String model, String modelSha256,
                         JsonNode params, long seed, long steps, Instant receivedAt, Instant startedAt,
                         Instant finishedAt, RecordRef source, RuntimeInfo runtime) {
    public Provenance {
        requireNonNull(plugin, "plugin is null");
        requireNonNull(pluginVersion, "pluginVersion is null");
        requireNonNull(spiVersion, "spiVersion is null");
        requireNonNull(model, "model is null");
        requireNonNull(modelSha256, "modelSha256 is null");
        requireNonNull(params, "params is null");
        requireNonNull(receivedAt, "receivedAt is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        requireNonNull(source, "source is null");
        requireNonNull(runtime, "runtime is null");
    }

    public long queueMillis() {
        return Math.max(0, Duration.between(receivedAt, startedAt).toMillis());
    }

    public long runMillis() {
        return Math.max(0, Duration.between(startedAt, finishedAt).toMillis());
    }

    public ObjectNode toJson() {
        ObjectNode json = Json.object();
        json.put("plugin", plugin);
        json.put("pluginVersion", pluginVersion);
        json.put("spiVersion", spiVersion);
        json.put("model", model);
        json.put("modelSha256", modelSha256);
        json.set("params", params.deepCopy());
        json.put("seed", seed);
        json.put("steps", steps);
        json.put("receivedAt", receivedAt.toString());
        json.put("startedAt", startedAt.toString());
        json.put("finishedAt", finishedAt.toString());
        json.put("queueMillis", queueMillis());
        json.put("runMillis", runMillis());
        ObjectNode src = json.putObject("source");
        src.put("topic", source.topic());
        src.put("partition", source.partition());
        src.put("offset", source.offset());
        ObjectNode rt = json.putObject("runtime");
        rt.put("java", runtime.java());
        rt.put("os", runtime.os());
        rt.put("arch", runtime.arch());
        rt.put("onnxRuntime", runtime.onnxRuntime());
        rt.put("executionProvider", runtime.executionProvider());
        rt.put("instance", runtime.instance());
        return json;
    }
}
