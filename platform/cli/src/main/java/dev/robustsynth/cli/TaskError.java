package dev.robustsynth.cli;

import static java.util.Objects.requireNonNull;

/** A failed result's {@code error}: a machine-readable code, a sentence, and the stage that failed. */
public record TaskError(String code, String message, String stage) {
    public TaskError {
        requireNonNull(code, "code is null");
        requireNonNull(message, "message is null");
        requireNonNull(stage, "stage is null");
    }
}
