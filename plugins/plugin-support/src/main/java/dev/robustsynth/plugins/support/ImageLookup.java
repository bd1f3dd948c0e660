package dev.robustsynth.plugins.support;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.Parameters;
import dev.robustsynth.spi.TaskContext;
import java.util.Optional;

/**
 * Where a task's image parameters come from. At run time that is the {@link TaskContext}, which has every image
 * the request carried. In {@code TaskFactory.validate} the SPI gives the parameters only; a host that puts the
 * decoded {@link Image}s into the parameters lets validation check their shapes too, otherwise those checks run
 * at the start of the task, still before any model call. Parsing code is written once against this interface.
 */
public interface ImageLookup {

    /** The decoded image parameter, if available here. */
    Optional<Image> find(String name);

    /** Whether {@link #find} has every image the request carried (true at run time). */
    boolean complete();

    /** Run time: the images the host decoded for the task. */
    static ImageLookup of(TaskContext context) {
        requireNonNull(context, "context is null");
        return new ImageLookup() {
            @Override
            public Optional<Image> find(String name) {
                return context.image(name);
            }

            @Override
            public boolean complete() {
                return true;
            }
        };
    }

    /** Validation time: only parameter values that already are {@link Image}s. */
    static ImageLookup of(Parameters params) {
        requireNonNull(params, "params is null");
        return new ImageLookup() {
            @Override
            public Optional<Image> find(String name) {
                return params.get(name).filter(Image.class::isInstance).map(Image.class::cast);
            }

            @Override
            public boolean complete() {
                return false;
            }
        };
    }

    /** Whether the request has image parameter {@code name} at all. */
    default boolean present(Parameters params, String name) {
        return find(name).isPresent() || params.has(name);
    }

    /**
     * A required image parameter: empty only at validation time when the host has not decoded it yet.
     *
     * @throws InvalidParametersException when the request lacks it
     */
    default Optional<Image> required(Parameters params, String name) throws InvalidParametersException {
        Optional<Image> image = find(name);
        if (image.isEmpty() && (complete() || !params.has(name))) {
            throw new InvalidParametersException("parameter '" + name + "' (an image) is required");
        }
        return image;
    }

    /**
     * An optional image parameter: empty when the request lacks it, or at validation time when not decoded yet.
     *
     * @throws InvalidParametersException when the request names it but the host delivered no image at run time
     */
    default Optional<Image> optional(Parameters params, String name) throws InvalidParametersException {
        Optional<Image> image = find(name);
        if (image.isEmpty() && complete() && params.has(name)) {
            throw new InvalidParametersException("parameter '" + name + "' could not be read as an image");
        }
        return image;
    }
}
