package dev.robustsynth.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * A parsed result from {@code rsynth.results}. {@code json} is the record's value as received
 * (including any field this client does not know), for callers that want to store it.
 */
public record TaskOutcome(String id, String type, TaskStatus status, List<OutcomeImage> images,
                          JsonNode metadata, JsonNode provenance, Optional<TaskError> error, ObjectNode json) {

    public TaskOutcome {
        requireNonNull(id, "id is null");
        requireNonNull(type, "type is null");
        requireNonNull(status, "status is null");
        images = List.copyOf(requireNonNull(images, "images is null"));
        requireNonNull(metadata, "metadata is null");
        requireNonNull(provenance, "provenance is null");
        requireNonNull(error, "error is null");
        requireNonNull(json, "json is null");
    }

    public boolean succeeded() {
        return status == TaskStatus.SUCCEEDED;
    }
}
