package dev.robustsynth.spi;

/** A request's parameters are invalid; the message names the parameter, its value and what was expected. */
public class InvalidParametersException extends TaskException {
    public InvalidParametersException(String message) {
        super(ErrorCode.INVALID_PARAMETERS, message);
    }
}
