package dev.robustsynth.plugins.support;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;

/** One-channel masks: values in [0,1], 1 = selected. */
public final class Masks {
    private Masks() {
    }

    /** A one-channel mask that is 1 where the mean over the input's channels is at least 0.5, else 0. */
    public static Image binarize(Image mask) {
        int plane = mask.height() * mask.width();
        float[] px = mask.pixels();
        float[] out = new float[plane];
        for (int i = 0; i < plane; i++) {
            double sum = 0;
            for (int ch = 0; ch < mask.channels(); ch++) {
                sum += px[ch * plane + i];
            }
            out[i] = sum / mask.channels() >= 0.5 ? 1f : 0f;
        }
        return new Image(1, mask.height(), mask.width(), out);
    }

    /** A mask of {@code height × width} that is 1 inside the rectangle [x, x+boxWidth) × [y, y+boxHeight). */
    public static Image box(int height, int width, int x, int y, int boxWidth, int boxHeight) {
        if (x < 0 || y < 0 || boxWidth <= 0 || boxHeight <= 0 || x + boxWidth > width || y + boxHeight > height) {
            throw new IllegalArgumentException("box " + boxWidth + "x" + boxHeight + " at (" + x + ", " + y
                    + ") does not lie inside " + width + "x" + height);
        }
        float[] out = new float[height * width];
        for (int yy = y; yy < y + boxHeight; yy++) {
            for (int xx = x; xx < x + boxWidth; xx++) {
                out[yy * width + xx] = 1f;
            }
        }
        return new Image(1, height, width, out);
    }

    /** 1 − mask. */
    public static Image complement(Image mask) {
        return Pixels.invert(mask);
    }

    /** How many values are at least 0.5. */
    public static int count(Image mask) {
        int n = 0;
        for (float v : mask.pixels()) {
            n += v >= 0.5f ? 1 : 0;
        }
        return n;
    }

    /**
     * Checks that a mask parameter has the model's spatial size.
     *
     * @throws InvalidParametersException naming the parameter, its size and the size expected
     */
    public static void requireSize(Image mask, int height, int width, String parameter, String model)
            throws InvalidParametersException {
        if (mask.height() != height || mask.width() != width) {
            throw new InvalidParametersException("parameter '" + parameter + "' is a " + mask.width() + "x"
                    + mask.height() + " mask; model " + model + " takes " + width + "x" + height + " images");
        }
    }

    /** Whether {@code mask} may weight {@code image}: same spatial size, one channel or as many as the image. */
    static void requireFits(Image mask, Image image) {
        if (mask.height() != image.height() || mask.width() != image.width()
                || (mask.channels() != 1 && mask.channels() != image.channels())) {
            throw new IllegalArgumentException("mask " + mask.shape() + " does not fit image " + image.shape());
        }
    }

    /** The mask value for flat CHW index {@code i} of an image with planes of {@code plane} pixels. */
    static double weight(Image mask, int i, int plane, int width) {
        int channel = mask.channels() == 1 ? 0 : i / plane;
        int rest = i % plane;
        return mask.at(channel, rest / width, rest % width);
    }
}
