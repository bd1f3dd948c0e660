package dev.robustsynth.spi;

/** Machine-readable reasons a task ends without a result; they appear as {@code error.code} in results. */
public enum ErrorCode {
    /** A parameter is invalid beyond what the schema checks (unknown class, mask of the wrong size, ...). */
    INVALID_PARAMETERS,
    /** The model lacks something the task needs (seed statistics, an activation, gradients). */
    MODEL_UNSUPPORTED,
    /** An input image does not fit the task or the model. */
    INVALID_IMAGE,
    /** The client cancelled the task. */
    CANCELLED,
    /** The task passed its deadline. */
    DEADLINE_EXCEEDED,
    /** The host is shutting down or overloaded; the request may be retried. */
    UNAVAILABLE,
    /** A bug or runtime failure; the message says what. */
    INTERNAL
}
