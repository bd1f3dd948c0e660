package dev.robustsynth.service.intake;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.engine.image.ImageDecodeException;
import dev.robustsynth.engine.image.ImageLimits;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelInfo;
import java.net.URI;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/**
 * Turns an image parameter ({@code {"data": base64}} or {@code {"uri": "file:…"}}) into a checked {@link Image} of
 * the shape its task declares: limits before decoding, then decoding, then shape.
 */
public final class ImageInputs {
    private final ImageLimits limits;
    private final ImageFiles files;

    /** @param files reads file: URIs (only inside the configured roots) */
    public ImageInputs(ImageLimits limits, ImageFiles files) {
        this.limits = requireNonNull(limits, "limits is null");
        this.files = requireNonNull(files, "files is null");
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
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw undecodable("parameter '" + parameter + "': the uri is not a valid URI (" + e.getMessage() + ")");
        }
        if (!"file".equalsIgnoreCase(uri.getScheme())) {
            throw undecodable("parameter '" + parameter + "': uri scheme '" + uri.getScheme()
                    + "' is not served; use file: (with rsynth.image-uri-roots set) or send the image inline as data");
        }
        return files.read(parameter, uri, limits.maxBytes());
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
