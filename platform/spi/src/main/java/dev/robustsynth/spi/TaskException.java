package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

/** A task ended without a result, for a reason a client can act on. */
public class TaskException extends Exception {
    private final ErrorCode code;

    public TaskException(ErrorCode code, String message) {
        super(message);
        this.code = requireNonNull(code, "code is null");
    }

    public TaskException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = requireNonNull(code, "code is null");
    }

    public ErrorCode code() {
        return code;
    }
}
