package dev.robustsynth.spi;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * An image as the model sees it: {@code channels × height × width} floats in [0,1], channel-major (CHW).
 * Masks are one-channel images whose 1 means "selected". The array is copied in and never exposed, so an
 * {@code Image} is immutable.
 */
public final class Image {
    private final int channels;
    private final int height;
    private final int width;
    private final float[] pixels;

    public Image(int channels, int height, int width, float[] pixels) {
        requireNonNull(pixels, "pixels is null");
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "image dimensions must be positive, got " + channels + "x" + height + "x" + width);
        }
        if ((long) channels * height * width != pixels.length) {
            throw new IllegalArgumentException("image of " + channels + "x" + height + "x" + width
                    + " needs " + (long) channels * height * width + " values, got " + pixels.length);
        }
        for (int i = 0; i < pixels.length; i++) {
            float v = pixels[i];
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalArgumentException("pixel " + i + " is " + v + "; pixels must lie in [0,1]");
            }
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.pixels = pixels.clone();
    }

    /** An image filled with one value. */
    public static Image filled(int channels, int height, int width, float value) {
        float[] data = new float[channels * height * width];
        Arrays.fill(data, value);
        return new Image(channels, height, width, data);
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int size() {
        return pixels.length;
    }

    public float at(int channel, int y, int x) {
        return pixels[(channel * height + y) * width + x];
    }

    /** A copy of the pixels, CHW. */
    public float[] pixels() {
        return pixels.clone();
    }

    /** Copies the pixels into {@code target} at {@code offset} without allocating. */
    public void copyTo(float[] target, int offset) {
        System.arraycopy(pixels, 0, target, offset, pixels.length);
    }

    public boolean sameShape(Image other) {
        return other.channels == channels && other.height == height && other.width == width;
    }

    public String shape() {
        return channels + "x" + height + "x" + width;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image i && sameShape(i) && Arrays.equals(i.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * channels + height) + width) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "Image[" + shape() + "]";
    }
}
