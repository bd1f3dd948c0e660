package dev.robustsynth.service.intake;

import static java.util.Objects.requireNonNull;

/** Thrown inside the intake to stop at the first problem; carries the code, stage and sentence. */
final class RejectedException extends Exception {
    final FailureCode code;
    final Stage stage;

    RejectedException(FailureCode code, Stage stage, String message) {
        super(message, null, false, false);
        this.code = requireNonNull(code, "code is null");
        this.stage = requireNonNull(stage, "stage is null");
    }

    RejectedException(FailureCode code, Stage stage, String message, Throwable cause) {
        super(message, cause, false, false);
        this.code = requireNonNull(code, "code is null");
        this.stage = requireNonNull(stage, "stage is null");
    }
}
