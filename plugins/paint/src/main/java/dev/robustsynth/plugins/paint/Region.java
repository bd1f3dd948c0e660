package dev.robustsynth.plugins.paint;

import dev.robustsynth.plugins.support.Masks;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import java.util.Optional;

/** Where a stroke paints: a box, the pixels of one grey level of the mask, or the mask's white pixels. */
sealed interface Region {

    /**
     * The one-channel region mask (1 = paint here).
     *
     * @param mask the request's mask parameter, if any
     * @throws InvalidParametersException when the region needs a mask the request lacks, or selects no pixel
     */
    Image resolve(int height, int width, Optional<Image> mask, String stroke) throws InvalidParametersException;

    /** Facts for the result metadata. */
    String describe();

    /** A rectangle in pixels. */
    record Box(int x, int y, int width, int height) implements Region {
        @Override
        public Image resolve(int h, int w, Optional<Image> mask, String stroke) {
            return Masks.box(h, w, x, y, width, height);
        }

        @Override
        public String describe() {
            return "box " + width + "x" + height + " at (" + x + ", " + y + ")";
        }
    }

    /** The mask's pixels whose grey level (0-255) is {@code label}. */
    record Label(int label) implements Region {
        @Override
        public Image resolve(int h, int w, Optional<Image> mask, String stroke) throws InvalidParametersException {
            return nonEmpty(RegionMasks.label(mask.orElseThrow(), label), stroke + ": label " + label
                    + " selects no pixel of 'mask'");
        }

        @Override
        public String describe() {
            return "mask label " + label;
        }
    }

    /** The mask's white (≥ 0.5) pixels. */
    record White() implements Region {
        @Override
        public Image resolve(int h, int w, Optional<Image> mask, String stroke) throws InvalidParametersException {
            return nonEmpty(Masks.binarize(mask.orElseThrow()), stroke + ": 'mask' has no white pixel to paint");
        }

        @Override
        public String describe() {
            return "mask";
        }
    }

    private static Image nonEmpty(Image region, String message) throws InvalidParametersException {
        if (Masks.count(region) == 0) {
            throw new InvalidParametersException(message);
        }
        return region;
    }
}
