package dev.robustsynth.plugins.support;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelInfo;

/** Pixel arithmetic on {@link Image}s: distances, channel conversion, masked compositing. */
public final class Pixels {
    private Pixels() {
    }

    /** ‖a − b‖₂ over all values. */
    public static double l2(Image a, Image b) {
        requireSameShape(a, b);
        float[] pa = a.pixels();
        float[] pb = b.pixels();
        double sum = 0;
        for (int i = 0; i < pa.length; i++) {
            double d = pa[i] - pb[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    /**
     * √(Σ m⊙(a − b)²) with a one-channel {@code mask} applied to every channel (or a mask of the images' shape),
     * e.g. the change of an inpainted image on its known pixels.
     */
    public static double l2(Image a, Image b, Image mask) {
        requireSameShape(a, b);
        Masks.requireFits(mask, a);
        float[] pa = a.pixels();
        float[] pb = b.pixels();
        int plane = a.height() * a.width();
        double sum = 0;
        for (int i = 0; i < pa.length; i++) {
            double d = pa[i] - pb[i];
            sum += Masks.weight(mask, i, plane, a.width()) * d * d;
        }
        return Math.sqrt(sum);
    }

    /**
     * The image with {@code channels} channels: unchanged when it already has them; grey to colour by copying the
     * grey channel; colour (3 or 4 channels, alpha ignored) to grey by ITU-R BT.601 luma; grey+alpha to grey.
     *
     * @param parameter the parameter's name for the error message
     */
    public static Image toChannels(Image image, int channels, String parameter) throws InvalidParametersException {
        int c = image.channels();
        if (c == channels) {
            return image;
        }
        int plane = image.height() * image.width();
        float[] px = image.pixels();
        float[] out = new float[channels * plane];
        if (channels == 1 && (c == 3 || c == 4)) {
            for (int i = 0; i < plane; i++) {
                out[i] = clamp(0.299 * px[i] + 0.587 * px[plane + i] + 0.114 * px[2 * plane + i]);
            }
        } else if (channels == 1 && c == 2) {
            System.arraycopy(px, 0, out, 0, plane);
        } else if (channels == 3 && (c == 1 || c == 2)) {
            for (int ch = 0; ch < 3; ch++) {
                System.arraycopy(px, 0, out, ch * plane, plane);
            }
        } else if (channels == 3 && c == 4) {
            System.arraycopy(px, 0, out, 0, 3 * plane);
        } else {
            throw new InvalidParametersException("parameter '" + parameter + "' has " + c
                    + " channels; the model takes " + channels + " and no conversion is defined");
        }
        return new Image(channels, image.height(), image.width(), out);
    }

    /**
     * An image parameter brought to the model's channels ({@link #toChannels}) and checked for the model's height
     * and width.
     *
     * @throws InvalidParametersException naming the parameter, its shape and the model's
     */
    public static Image forModel(Image image, ModelInfo model, String parameter) throws InvalidParametersException {
        if (image.height() != model.height() || image.width() != model.width()) {
            throw new InvalidParametersException("parameter '" + parameter + "' is a " + image.width() + "x"
                    + image.height() + " image; model " + model.name() + " takes " + model.width() + "x"
                    + model.height() + " images");
        }
        return toChannels(image, model.channels(), parameter);
    }

    /** 1 − x for every value. */
    public static Image invert(Image image) {
        float[] px = image.pixels();
        for (int i = 0; i < px.length; i++) {
            px[i] = 1f - px[i];
        }
        return new Image(image.channels(), image.height(), image.width(), px);
    }

    static float clamp(double v) {
        return (float) Math.max(0.0, Math.min(1.0, v));
    }

    private static void requireSameShape(Image a, Image b) {
        if (!a.sameShape(b)) {
            throw new IllegalArgumentException("images " + a.shape() + " and " + b.shape() + " differ in shape");
        }
    }
}
