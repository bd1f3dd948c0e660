package dev.robustsynth.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A failed or cancelled result's {@code error}: a machine-readable code, a sentence, the stage that
 * refused the task, and optional structured {@code details} (an empty object when absent).
 */
public record TaskError(String code, String message, String stage, JsonNode details) {
    public TaskError {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        requireNonNull(stage, "stage is null");
        requireNonNull(details, "details is null");
    }
}
