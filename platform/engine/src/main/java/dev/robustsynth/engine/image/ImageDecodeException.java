package dev.robustsynth.engine.image;

import static java.util.Objects.requireNonNull;

/** An encoded image was refused; {@link #code()} says why, the message says what, naming the values. */
public class ImageDecodeException extends Exception {

    /** Why an image was refused. */
    public enum Code {
        /** Not a PNG or JPEG, truncated, or corrupt. */
        UNDECODABLE,
        /** Encoded bytes or declared dimensions above the configured limits. */
        TOO_LARGE,
        /** Decodable, but its channels or size do not fit what was asked. */
        WRONG_SHAPE
    }

    private final Code code;

    public ImageDecodeException(Code code, String message) {
        super(message);
        this.code = requireNonNull(code, "code is null");
    }

    public ImageDecodeException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = requireNonNull(code, "code is null");
    }

    public Code code() {
        return code;
    }
}
