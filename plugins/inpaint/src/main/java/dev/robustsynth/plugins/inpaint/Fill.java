package dev.robustsynth.plugins.inpaint;

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

    /** {@code image} with the pixels where the one-channel, binary {@code missing} is 1 replaced by this fill. */
    Image apply(Image image, Image missing, RandomGenerator random) {
        int c = image.channels();
        int plane = image.height() * image.width();
        float[] fill = new float[c * plane];
        double[] means = this == MEAN ? knownMeans(image, missing) : null;
        for (int i = 0; i < fill.length; i++) {
            fill[i] = switch (this) {
                case MEAN -> (float) means[i / plane];
                case ZERO -> 0f;
                case GRAY -> 0.5f;
                case NOISE -> random.nextFloat();
            };
        }
        float[] out = image.pixels();
        for (int i = 0; i < out.length; i++) {
            if (missing.at(0, (i % plane) / image.width(), i % image.width()) >= 0.5f) {
                out[i] = fill[i];
            }
        }
        return new Image(c, image.height(), image.width(), out);
    }

    /** Each channel's mean over the known pixels (where the one-channel {@code missing} is 0); NaN with none. */
    static double[] knownMeans(Image image, Image missing) {
        int plane = image.height() * image.width();
        float[] px = image.pixels();
        double[] sums = new double[image.channels()];
        int known = 0;
        for (int p = 0; p < plane; p++) {
            if (missing.at(0, p / image.width(), p % image.width()) < 0.5f) {
                known++;
                for (int ch = 0; ch < sums.length; ch++) {
                    sums[ch] += px[ch * plane + p];
                }
            }
        }
        for (int ch = 0; ch < sums.length; ch++) {
            sums[ch] = known > 0 ? sums[ch] / known : Double.NaN;
        }
        return sums;
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
