package dev.robustsynth.service.intake;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.engine.image.ImageDecodeException;
import dev.robustsynth.engine.image.ImageLimits;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelInfo;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Turns an image parameter ({@code {"data": base64}} or {@code {"uri": "file:…"}}) into a checked {@link Image} of
 * the shape its task declares: limits before decoding, then decoding, then shape.
 */
public final class ImageInputs {
    private final ImageLimits limits;
    private final Optional<List<Path>> uriRoots;

    /** @param uriRoots directories file: URIs may point into; empty allows any readable file */
    public ImageInputs(ImageLimits limits, Optional<List<Path>> uriRoots) {
        this.limits = requireNonNull(limits, "limits is null");
        this.uriRoots = requireNonNull(uriRoots, "uriRoots is null").map(roots -> roots.stream()
                .map(p -> p.toAbsolutePath().normalize()).toList());
    }

    public ImageLimits limits() {
        return limits;
    }

    /** The encoded bytes of an image reference. */
    byte[] bytes(String parameter, JsonNode reference) throws RejectedException {
        if (reference == null || !reference.isObject()) {
            throw undecodable("parameter '" + parameter + "' is not an image object; expected {\"data\": "
                    + "\"<base64 PNG or JPEG>\"} or {\"uri\": \"file:///…\"}");
        }
        JsonNode data = reference.get("data");
        JsonNode uri = reference.get("uri");
        if (data != null && data.isString()) {
            String text = data.asString().replaceAll("\\s", "");
            if ((long) text.length() * 3 / 4 > limits.maxBytes()) {
                throw new RejectedException(FailureCode.IMAGE_TOO_LARGE, Stage.VALIDATE, "parameter '" + parameter
                        + "' carries about " + (long) text.length() * 3 / 4 + " bytes; the limit is "
                        + limits.maxBytes());
            }
            try {
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw undecodable("parameter '" + parameter + "': data is not valid base64 (" + e.getMessage() + ")");
            }
        }
        if (uri != null && uri.isString()) {
            return read(parameter, uri.asString());
        }
        throw undecodable("parameter '" + parameter + "' has neither a 'data' string nor a 'uri' string");
    }

    private byte[] read(String parameter, String text) throws RejectedException {
        Path path;
        try {
            URI uri = URI.create(text);
            if (!"file".equalsIgnoreCase(uri.getScheme())) {
                throw undecodable("parameter '" + parameter + "': uri scheme '" + uri.getScheme()
                        + "' is not served; use file: (local mode) or send the image inline as data");
            }
            path = Path.of(uri).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            throw undecodable("parameter '" + parameter + "': '" + text + "' is not a file URI (" + e.getMessage()
                    + ")");
        }
        if (uriRoots.isPresent() && uriRoots.get().stream().noneMatch(path::startsWith)) {
            throw undecodable("parameter '" + parameter + "': " + path + " is outside the directories images may "
                    + "be read from (rsynth.image-uri-roots)");
        }
        try {
            long size = Files.size(path);
            if (size > limits.maxBytes()) {
                throw new RejectedException(FailureCode.IMAGE_TOO_LARGE, Stage.VALIDATE, "parameter '" + parameter
                        + "': " + path + " is " + size + " bytes; the limit is " + limits.maxBytes());
            }
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw undecodable("parameter '" + parameter + "': cannot read " + path + " (" + e + ")");
        }
    }

    /** Decodes and conforms one image parameter. */
    public Image load(String parameter, JsonNode reference, ImageMode mode, ModelInfo model)
            throws RejectedException {
        byte[] bytes = bytes(parameter, reference);
        Image decoded;
        try {
            decoded = ImageCodec.decode(bytes, limits);
        } catch (ImageDecodeException e) {
            throw switch (e.code()) {
                case TOO_LARGE -> new RejectedException(FailureCode.IMAGE_TOO_LARGE, Stage.VALIDATE,
                        "parameter '" + parameter + "': " + e.getMessage(), e);
                case WRONG_SHAPE -> new RejectedException(FailureCode.WRONG_IMAGE_SHAPE, Stage.VALIDATE,
                        "parameter '" + parameter + "': " + e.getMessage(), e);
                case UNDECODABLE -> new RejectedException(FailureCode.UNDECODABLE_IMAGE, Stage.VALIDATE,
                        "parameter '" + parameter + "': " + e.getMessage(), e);
            };
        }
        int channels = mode == ImageMode.MASK ? 1 : model.channels();
        try {
            Image converted = ImageCodec.toChannels(decoded, channels);
            if (mode != ImageMode.ANY_SIZE
                    && (converted.height() != model.height() || converted.width() != model.width())) {
                throw new RejectedException(FailureCode.WRONG_IMAGE_SHAPE, Stage.VALIDATE, "parameter '" + parameter
                        + "' is " + decoded.width() + "x" + decoded.height() + " pixels (" + decoded.shape()
                        + "); model " + model.name() + " expects " + model.width() + "x" + model.height()
                        + (mode == ImageMode.MASK ? " (a one-channel mask)" : " (" + model.inputShape() + ")"));
            }
            return converted;
        } catch (ImageDecodeException e) {
            throw new RejectedException(FailureCode.WRONG_IMAGE_SHAPE, Stage.VALIDATE, "parameter '" + parameter
                    + "': " + e.getMessage() + " for model " + model.name(), e);
        }
    }

    private static RejectedException undecodable(String message) {
        return new RejectedException(FailureCode.UNDECODABLE_IMAGE, Stage.VALIDATE, message);
    }
}
