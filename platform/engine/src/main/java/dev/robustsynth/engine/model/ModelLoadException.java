package dev.robustsynth.engine.model;

/** A model directory could not be served; the message names the directory, the file and the reason. */
public class ModelLoadException extends Exception {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
