package dev.robustsynth.service.intake;

import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * How an image parameter must fit the model, from the {@code x-rsynth-image} annotation of the parameter in the
 * task's schema (schemas/README.md).
 */
public enum ImageMode {
    /** The model's channels (converted) and exactly its height × width. The default. */
    MODEL,
    /** One channel (RGB converted to luma) and exactly the model's height × width. */
    MASK,
    /** The model's channels (converted), any size within the limits; the factory checks the rest. */
    ANY_SIZE;

    public static final String ANNOTATION = "x-rsynth-image";

    /** The mode declared for {@code parameter} in a task schema, {@link #MODEL} when none is. */
    public static ImageMode declared(JsonNode taskSchema, String parameter) {
        JsonNode value = taskSchema == null ? null
                : taskSchema.path("properties").path(parameter).path(ANNOTATION);
        if (value == null || !value.isString()) {
            return MODEL;
        }
        return switch (value.asString().toLowerCase(Locale.ROOT)) {
            case "mask" -> MASK;
            case "any-size" -> ANY_SIZE;
            default -> MODEL;
        };
    }
}
