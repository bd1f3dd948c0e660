package dev.robustsynth.plugins.superres;

import dev.robustsynth.pgd.Resample;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import java.util.Arrays;
import java.util.Locale;

/** How the low-resolution image reaches the model's size before the steps. */
enum Upsampling {
    /** Pixel replication, as in the paper. */
    NEAREST,
    /** Bilinear interpolation between pixel centres. */
    BILINEAR;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    Image apply(Image image, int height, int width) {
        return this == NEAREST ? Resample.NEAREST.apply(image, height, width) : Resample.BILINEAR.apply(image, height, width);
    }

    static Upsampling parse(String text) throws InvalidParametersException {
        for (Upsampling u : values()) {
            if (u.wireName().equals(text)) {
                return u;
            }
        }
        throw new InvalidParametersException("parameter 'upsample' is '" + text + "'; expected one of "
                + Arrays.stream(values()).map(Upsampling::wireName).toList());
    }
}
