package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/**
 * What a task factory serves.
 *
 * @param type             the task type id requests name in their {@code type} field, e.g. {@code "generate"}
 * @param version          the plugin's version of this task, recorded in every result's provenance
 * @param title            one line for people
 * @param parametersSchema JSON Schema (draft 2020-12) of the request's {@code params} object, as JSON text
 * @param imageParameters  names of parameters that carry images ({@code {"data": base64}} or {@code {"uri": ...}});
 *                         the host decodes and checks them before the task sees them
 * @param outputMediaTypes media types of the result images, e.g. {@code image/png}
 */
public record TaskDescriptor(
        String type,
        String version,
        String title,
        String parametersSchema,
        Set<String> imageParameters,
        List<String> outputMediaTypes) {

    public TaskDescriptor {
        requireNonNull(type, "type is null");
        requireNonNull(version, "version is null");
        requireNonNull(title, "title is null");
        requireNonNull(parametersSchema, "parametersSchema is null");
        if (!type.matches("[a-z][a-z0-9-]{0,63}")) {
            throw new IllegalArgumentException("task type '" + type + "' must match [a-z][a-z0-9-]{0,63}");
        }
        imageParameters = Set.copyOf(requireNonNull(imageParameters, "imageParameters is null"));
        outputMediaTypes = List.copyOf(requireNonNull(outputMediaTypes, "outputMediaTypes is null"));
    }
}
