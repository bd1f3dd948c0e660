package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * What {@link TaskFactory#validate} sees of one request: the request, its model, and every image parameter the
 * host has already decoded and checked (one named in {@link TaskDescriptor#imageParameters()} and present in the
 * request). A host always decodes images before it validates, so a factory checks image shapes here, once.
 *
 * @param request the request; its parameters are valid against the task's schema
 * @param model   the model the request runs on
 * @param images  decoded image parameters by name
 */
public record ValidationContext(TaskRequest request, ModelInfo model, Map<String, Image> images) {
    public ValidationContext {
        requireNonNull(request, "request is null");
        requireNonNull(model, "model is null");
        images = Map.copyOf(requireNonNull(images, "images is null"));
    }

    public Parameters params() {
        return request.params();
    }

    /** A decoded image parameter, if the request had it. */
    public Optional<Image> image(String parameter) {
        return Optional.ofNullable(images.get(parameter));
    }

    /**
     * A required image parameter.
     *
     * @throws InvalidParametersException when the request lacks it
     */
    public Image requireImage(String parameter) throws InvalidParametersException {
        return image(parameter).orElseThrow(() -> new InvalidParametersException(
                "parameter '" + parameter + "' (an image) is required"));
    }
}
