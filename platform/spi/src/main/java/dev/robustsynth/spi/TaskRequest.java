package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * A validated request, as a task sees it.
 *
 * @param id       the client's task id (also the Kafka record key)
 * @param type     the task type
 * @param model    the name of the model the task runs on
 * @param params   the request's parameters, already valid against the task's schema
 * @param seed     the random seed; the same seed on the same machine gives bit-identical results
 * @param deadline when the client stops caring about the result, if it said
 */
public record TaskRequest(String id, String type, String model, Parameters params, long seed,
                          Optional<Instant> deadline) {

    public TaskRequest {
        requireNonNull(id, "id is null");
        requireNonNull(type, "type is null");
        requireNonNull(model, "model is null");
        requireNonNull(params, "params is null");
        requireNonNull(deadline, "deadline is null");
    }
}
