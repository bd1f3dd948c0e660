package dev.robustsynth.trainer.data;

import java.util.List;
import java.util.Objects;

/**
 * An in-memory labelled image set: uint8 pixels in CHW order, one image after another, so a whole
 * data set is one array and a batch is a cheap copy out of it.
 *
 * @param pixels   {@code count * channels * height * width} bytes, unsigned
 * @param labels   one class index per image
 * @param channels 1 (grey) or 3 (RGB)
 * @param height   image height
 * @param width    image width
 * @param classes  class names, index = label
 */
public record LabeledImages(byte[] pixels, int[] labels, int channels, int height, int width, List<String> classes) {

    public LabeledImages {
        Objects.requireNonNull(pixels, "pixels is null");
        Objects.requireNonNull(labels, "labels is null");
        classes = List.copyOf(classes);
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes; expected " + expected
                    + " for " + labels.length + " images of " + channels + "x" + height + "x" + width);
        }
    }

    public int count() {
        return labels.length;
    }

    public int imageSize() {
        return channels * height * width;
    }

    /** The first {@code n} images (or all if fewer). */
    public LabeledImages head(int n) {
        int m = Math.min(n, count());
        byte[] p = new byte[m * imageSize()];
        System.arraycopy(pixels, 0, p, 0, p.length);
        int[] l = new int[m];
        System.arraycopy(labels, 0, l, 0, m);
        return new LabeledImages(p, l, channels, height, width, classes);
    }

    /**
     * {@code n} images at evenly spaced positions (i·count/n): class-balanced even when the split is stored class
     * by class, as CIFAR-10's image folders are, where the first images would all be airplanes.
     */
    public LabeledImages spread(int n) {
        int m = Math.min(n, count());
        int size = imageSize();
        byte[] p = new byte[m * size];
        int[] l = new int[m];
        for (int i = 0; i < m; i++) {
            int from = (int) ((long) i * count() / m);
            System.arraycopy(pixels, from * size, p, i * size, size);
            l[i] = labels[from];
        }
        return new LabeledImages(p, l, channels, height, width, classes);
    }

    /** Pixels of images {@code from..from+n-1} as floats in [0,1], CHW order. */
    public float[] toFloats(int from, int n) {
        int size = imageSize();
        float[] out = new float[n * size];
        for (int i = 0, j = from * size; i < out.length; i++, j++) {
            out[i] = (pixels[j] & 0xff) / 255f;
        }
        return out;
    }

    public int[] labels(int from, int n) {
        int[] out = new int[n];
        System.arraycopy(labels, from, out, 0, n);
        return out;
    }
}
