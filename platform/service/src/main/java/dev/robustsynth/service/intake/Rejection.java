package dev.robustsynth.service.intake;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A request the service does not run.
 *
 * @param id      the request's id, or the record key, or {@code <topic>-<partition>-<offset>} when it had neither
 * @param type    the request's type, or empty text when it had none
 * @param code    what went wrong
 * @param stage   where
 * @param message one sentence naming the value, what was expected and where
 * @param cause   the exception behind it, if any
 */
public record Rejection(String id, String type, FailureCode code, Stage stage, String message,
                        Optional<Throwable> cause) implements Intake {
    public Rejection {
        requireNonNull(id, "id is null");
        requireNonNull(type, "type is null");
        requireNonNull(code, "code is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(message, "message is null");
        requireNonNull(cause, "cause is null");
    }
}
