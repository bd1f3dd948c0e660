package dev.robustsynth.service.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * One-channel images as grey levels 0–255 (row by row), made into and read from PNGs with the JDK only (see
 * {@link TestImages} for why tests must not use the engine's codecs), plus the pixel arithmetic the task tests
 * check results with. Distances are in the models' pixel units (grey level / 255).
 */
public final class GreyImages {
    private GreyImages() {
    }

    /** A grey PNG of {@code width × height} with the given samples (clamped to 0–255). */
    public static byte[] png(int width, int height, int[] samples) {
        if (samples.length != width * height) {
            throw new IllegalArgumentException(samples.length + " samples for " + width + "x" + height);
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, samples[y * width + x])));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The width and height of an encoded image. */
    public static int[] size(byte[] encoded) {
        BufferedImage image = read(encoded);
        return new int[] {image.getWidth(), image.getHeight()};
    }

    /** The first band's samples of an encoded image, row by row. */
    public static int[] samples(byte[] encoded) {
        BufferedImage image = read(encoded);
        return image.getRaster().getSamples(0, 0, image.getWidth(), image.getHeight(), 0,
                new int[image.getWidth() * image.getHeight()]);
    }

    private static BufferedImage read(byte[] encoded) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
            if (image == null) {
                throw new IllegalArgumentException("not a PNG or JPEG");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each {@code factor × factor} block averaged (rounded): a low-resolution copy. */
    public static int[] downsampleArea(int[] samples, int width, int height, int factor) {
        int w = width / factor;
        int h = height / factor;
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sum = 0;
                for (int dy = 0; dy < factor; dy++) {
                    for (int dx = 0; dx < factor; dx++) {
                        sum += samples[(y * factor + dy) * width + x * factor + dx];
                    }
                }
                out[y * w + x] = Math.round(sum / (float) (factor * factor));
            }
        }
        return out;
    }

    /** Nearest-neighbour upsampling by an integer factor (each pixel becomes a {@code factor × factor} block). */
    public static int[] upsampleNearest(int[] samples, int width, int height, int factor) {
        int w = width * factor;
        int[] out = new int[w * height * factor];
        for (int y = 0; y < height * factor; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = samples[(y / factor) * width + x / factor];
            }
        }
        return out;
    }

    /** 255 − each sample. */
    public static int[] invert(int[] samples) {
        int[] out = new int[samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[i] = 255 - samples[i];
        }
        return out;
    }

    /** A mask of {@code width × height}: 255 inside the rectangle [x, x+w) × [y, y+h), 0 elsewhere. */
    public static int[] box(int width, int height, int x, int y, int w, int h) {
        int[] out = new int[width * height];
        for (int yy = y; yy < y + h; yy++) {
            for (int xx = x; xx < x + w; xx++) {
                out[yy * width + xx] = 255;
            }
        }
        return out;
    }

    /** Whether pixel {@code i} of a {@code width}-wide image lies in the rectangle [x, x+w) × [y, y+h). */
    public static boolean inBox(int i, int width, int x, int y, int w, int h) {
        int px = i % width;
        int py = i / width;
        return px >= x && px < x + w && py >= y && py < y + h;
    }

    /** ‖a − b‖₂ in pixel units over the pixels where {@code where[i]} (all pixels when null). */
    public static double l2(int[] a, int[] b, boolean[] where) {
        requireSameLength(a, b);
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            if (where == null || where[i]) {
                double d = (a[i] - b[i]) / 255.0;
                sum += d * d;
            }
        }
        return Math.sqrt(sum);
    }

    public static double l2(int[] a, int[] b) {
        return l2(a, b, null);
    }

    /** max |a − b| in pixel units over the pixels where {@code where[i]} (all pixels when null). */
    public static double maxAbs(int[] a, int[] b, boolean[] where) {
        requireSameLength(a, b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            if (where == null || where[i]) {
                max = Math.max(max, Math.abs(a[i] - b[i]) / 255.0);
            }
        }
        return max;
    }

    /** The pixels of a mask that are white (≥ 128). */
    public static boolean[] white(int[] mask) {
        boolean[] out = new boolean[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = mask[i] >= 128;
        }
        return out;
    }

    /** The complement of a selection. */
    public static boolean[] not(boolean[] where) {
        boolean[] out = new boolean[where.length];
        for (int i = 0; i < where.length; i++) {
            out[i] = !where[i];
        }
        return out;
    }

    /** How many pixels are selected. */
    public static int count(boolean[] where) {
        int n = 0;
        for (boolean b : where) {
            n += b ? 1 : 0;
        }
        return n;
    }

    /**
     * The worst L2 error that 8-bit rounding of two images of {@code pixels} pixels adds to their distance (each
     * pixel off by at most half a level in each image).
     */
    public static double quantisationSlack(int pixels) {
        return Math.sqrt(pixels) / 255.0;
    }

    private static void requireSameLength(int[] a, int[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("images of " + a.length + " and " + b.length + " pixels");
        }
    }
}
