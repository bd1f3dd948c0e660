package dev.robustsynth.plugins.inpaint;

import dev.robustsynth.plugins.support.Masks;
import dev.robustsynth.plugins.support.Pixels;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;

/** What the missing pixels start as before the steps. */
enum Fill {
    /** Each channel's mean over the known pixels (the default). */
    MEAN,
    /** Black. */
    ZERO,
    /** 0.5 in every channel. */
    GRAY,
    /** Uniform noise in [0,1] from the request's seed. */
    NOISE;

    String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code image} with the pixels where {@code missing} is 1 replaced by this fill. */
    Image apply(Image image, Image missing, RandomGenerator random) {
        int c = image.channels();
        int plane = image.height() * image.width();
        float[] fill = new float[c * plane];
        double[] means = this == MEAN ? Pixels.channelMeans(image, Masks.complement(missing)) : null;
        for (int i = 0; i < fill.length; i++) {
            fill[i] = switch (this) {
                case MEAN -> (float) means[i / plane];
                case ZERO -> 0f;
                case GRAY -> 0.5f;
                case NOISE -> random.nextFloat();
            };
        }
        return Pixels.composite(new Image(c, image.height(), image.width(), fill), image, missing);
    }

    static Fill parse(String text) throws InvalidParametersException {
        for (Fill f : values()) {
            if (f.wireName().equals(text)) {
                return f;
            }
        }
        throw new InvalidParametersException("parameter 'fill' is '" + text + "'; expected one of "
                + Arrays.stream(values()).map(Fill::wireName).toList());
    }
}
