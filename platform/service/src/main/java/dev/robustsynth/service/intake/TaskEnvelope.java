package dev.robustsynth.service.intake;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.pluginhost.HostedFactory;
import dev.robustsynth.pluginhost.PreparedTask;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.TaskRequest;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A request that passed every check and is ready to run.
 *
 * @param request          what the task sees
 * @param model            the model's description
 * @param task             the request validated by the factory serving its type, with the factory's plan (which
 *                         holds the decoded images)
 * @param provenanceParams the params for provenance: inline image data replaced by its sha256 and size
 * @param priority         higher runs first among waiting tasks
 * @param receivedAt       when the record was taken from Kafka
 * @param source           the record
 * @param progress         the request's progress cadence and previews; empty: the plugin's cadence, no previews
 * @param job              the bulk job this task is an item of (request field {@code job}): it runs in the bulk lane
 */
public record TaskEnvelope(TaskRequest request, ModelInfo model, PreparedTask task, JsonNode provenanceParams, int priority, Instant receivedAt, RecordRef source,
                           Optional<ProgressRequest> progress, Optional<String> job)
        implements Intake {

    /** A task of no job. */
    public TaskEnvelope(TaskRequest request, ModelInfo model, PreparedTask task, JsonNode provenanceParams, int priority,
                        Instant receivedAt, RecordRef source) {
        this(request, model, task, provenanceParams, priority, receivedAt, source, Optional.empty(), Optional.empty());
    }

    public TaskEnvelope {
        requireNonNull(request, "request is null");
        requireNonNull(model, "model is null");
        requireNonNull(task, "task is null");
        requireNonNull(provenanceParams, "provenanceParams is null");
        requireNonNull(receivedAt, "receivedAt is null");
        requireNonNull(source, "source is null");
        requireNonNull(progress, "progress is null");
        requireNonNull(job, "job is null");
    }

    /** The factory serving the type. */
    public HostedFactory factory() {
        return task.factory();
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
