package dev.robustsynth.service.kafka;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Why a record goes to the dead-letter topic.
 *
 * @param code      the error code
 * @param stage     parse, validate, route or run
 * @param message   the sentence
 * @param taskType  the request's type, when it had one
 * @param exception the class of the exception behind it, when there was one
 */
public record DeadLetter(String code, String stage, String message, Optional<String> taskType,
                         Optional<String> exception) {
    public DeadLetter {
        requireNonNull(code, "code is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(message, "message is null");
        requireNonNull(taskType, "taskType is null");
        requireNonNull(exception, "exception is null");
    }
}
