package dev.robustsynth.service.intake;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.pluginhost.HostedFactory;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.TaskRequest;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A request that passed every check and is ready to run.
 *
 * @param request          what the task sees
 * @param model            the model's description
 * @param factory          the factory serving the type
 * @param images           decoded image parameters, by name
 * @param provenanceParams the params for provenance: inline image data replaced by its sha256 and size
 * @param priority         higher runs first among waiting tasks
 * @param receivedAt       when the record was taken from Kafka
 * @param source           the record
 */
public record TaskEnvelope(TaskRequest request, ModelInfo model, HostedFactory factory, Map<String, Image> images,
                           JsonNode provenanceParams, int priority, Instant receivedAt, RecordRef source)
        implements Intake {

    public TaskEnvelope {
        requireNonNull(request, "request is null");
        requireNonNull(model, "model is null");
        requireNonNull(factory, "factory is null");
        images = Map.copyOf(requireNonNull(images, "images is null"));
        requireNonNull(provenanceParams, "provenanceParams is null");
        requireNonNull(receivedAt, "receivedAt is null");
        requireNonNull(source, "source is null");
    }

    @Override
    public String id() {
        return request.id();
    }

    @Override
    public String type() {
        return request.type();
    }
}
