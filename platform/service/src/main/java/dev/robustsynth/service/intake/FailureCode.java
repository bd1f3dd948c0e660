package dev.robustsynth.service.intake;

import dev.robustsynth.spi.ErrorCode;

/** Every {@code error.code} of the wire contract: the envelope and routing codes, then the SPI's task codes. */
public enum FailureCode {
    NOT_JSON, NOT_AN_OBJECT, MISSING_FIELD, UNKNOWN_TYPE, SCHEMA_VIOLATION, UNKNOWN_MODEL, MESSAGE_TOO_LARGE,
    UNDECODABLE_IMAGE, IMAGE_TOO_LARGE, WRONG_IMAGE_SHAPE, DUPLICATE_ID,
    INVALID_PARAMETERS, MODEL_UNSUPPORTED, INVALID_IMAGE, CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE, INTERNAL;

    public static FailureCode of(ErrorCode code) {
        return valueOf(code.name());
    }
}
