package dev.robustsynth.service.intake;

import dev.robustsynth.spi.ErrorCode;

/**
 * Every {@code error.code} of the wire contract: the envelope and routing codes, the SPI's task codes, then the
 * service's own: {@code IMAGE_URI_REFUSED} (a file: URI the service will not read), {@code INTAKE_TIMEOUT} (checking
 * the record took longer than {@code rsynth.intake-timeout}) and {@code POISON_RECORD} (the record was being handled
 * each of the last {@code rsynth.max-attempts} times the service died), {@code PLUGIN_ERROR} (the plugin threw a JVM
 * {@code Error}) and {@code PLUGIN_TIMEOUT} (the plugin outran {@code rsynth.task-timeout}, or ignored a stop for
 * {@code rsynth.task-stop-grace}).
 */
public enum FailureCode {
    NOT_JSON, NOT_AN_OBJECT, MISSING_FIELD, UNKNOWN_TYPE, SCHEMA_VIOLATION, UNKNOWN_MODEL, MESSAGE_TOO_LARGE,
    UNDECODABLE_IMAGE, IMAGE_TOO_LARGE, WRONG_IMAGE_SHAPE, DUPLICATE_ID,
    INVALID_PARAMETERS, MODEL_UNSUPPORTED, INVALID_IMAGE, CANCELLED, DEADLINE_EXCEEDED, UNAVAILABLE, INTERNAL,
    IMAGE_URI_REFUSED, INTAKE_TIMEOUT, POISON_RECORD, PLUGIN_ERROR, PLUGIN_TIMEOUT;

    public static FailureCode of(ErrorCode code) {
        return valueOf(code.name());
    }
}
