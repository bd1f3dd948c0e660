package dev.robustsynth.cli;

/** Kafka could not be reached, a record could not be published, or the result listener failed. */
public class RsynthClientException extends Exception {
    public RsynthClientException(String message) {
        super(message);
    }

    public RsynthClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
