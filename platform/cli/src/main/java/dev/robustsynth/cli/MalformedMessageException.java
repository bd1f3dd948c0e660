package dev.robustsynth.cli;

/** A record on a result or progress topic that does not follow the wire contract. */
public class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
