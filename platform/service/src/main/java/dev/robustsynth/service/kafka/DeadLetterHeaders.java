package dev.robustsynth.service.kafka;

/**
 * Headers the service adds to a record it sends to the dead-letter topic (docs/MESSAGES.md). The record keeps the
 * original key, value, headers and timestamp; these say why it could not be accepted. Values are UTF-8 text.
 */
public final class DeadLetterHeaders {
    public static final String PREFIX = "rsynth.error.";
    /** The machine-readable code, e.g. {@code SCHEMA_VIOLATION}. */
    public static final String CODE = PREFIX + "code";
    /** The sentence also sent in the FAILED result. */
    public static final String MESSAGE = PREFIX + "message";
    /** parse, validate, route or run. */
    public static final String STAGE = PREFIX + "stage";
    public static final String SOURCE_TOPIC = PREFIX + "source.topic";
    public static final String SOURCE_PARTITION = PREFIX + "source.partition";
    public static final String SOURCE_OFFSET = PREFIX + "source.offset";
    /** The request's type, when it had one. */
    public static final String TASK_TYPE = PREFIX + "task.type";
    /** The exception behind the failure, when there was one. */
    public static final String EXCEPTION_CLASS = PREFIX + "exception.class";

    private DeadLetterHeaders() {
    }
}
