package dev.robustsynth.plugins.support;

import dev.robustsynth.spi.Image;

/**
 * Resampling of {@link Image}s, each channel on its own. Conventions match PyTorch's {@code F.interpolate}:
 * pixel centres at half-integer coordinates ({@code align_corners=False}).
 */
public final class Resize {
    private Resize() {
    }

    /** Nearest neighbour: output pixel (y, x) takes input pixel (⌊y·h/H⌋, ⌊x·w/W⌋); an integer factor replicates. */
    public static Image nearest(Image image, int height, int width) {
        checkSize(height, width);
        int c = image.channels();
        int ih = image.height();
        int iw = image.width();
        float[] out = new float[c * height * width];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < height; y++) {
                int sy = (int) ((long) y * ih / height);
                for (int x = 0; x < width; x++) {
                    int sx = (int) ((long) x * iw / width);
                    out[(ch * height + y) * width + x] = image.at(ch, sy, sx);
                }
            }
        }
        return new Image(c, height, width, out);
    }

    /** Bilinear interpolation between pixel centres, edges clamped. */
    public static Image bilinear(Image image, int height, int width) {
        checkSize(height, width);
        int c = image.channels();
        int ih = image.height();
        int iw = image.width();
        float[] out = new float[c * height * width];
        for (int y = 0; y < height; y++) {
            double sy = Math.max(0.0, (y + 0.5) * ih / height - 0.5);
            int y0 = Math.min((int) sy, ih - 1);
            int y1 = Math.min(y0 + 1, ih - 1);
            double fy = Math.min(sy - y0, 1.0);
            for (int x = 0; x < width; x++) {
                double sx = Math.max(0.0, (x + 0.5) * iw / width - 0.5);
                int x0 = Math.min((int) sx, iw - 1);
                int x1 = Math.min(x0 + 1, iw - 1);
                double fx = Math.min(sx - x0, 1.0);
                for (int ch = 0; ch < c; ch++) {
                    double top = image.at(ch, y0, x0) * (1 - fx) + image.at(ch, y0, x1) * fx;
                    double bottom = image.at(ch, y1, x0) * (1 - fx) + image.at(ch, y1, x1) * fx;
                    out[(ch * height + y) * width + x] = clamp(top * (1 - fy) + bottom * fy);
                }
            }
        }
        return new Image(c, height, width, out);
    }

    /**
     * Area averaging: each output pixel is the mean of the input area it covers, with fractional overlaps weighted
     * exactly, so any size works (28 → 7, 32 → 6). Used to bring masks down to an activation's spatial size.
     */
    public static Image area(Image image, int height, int width) {
        checkSize(height, width);
        int c = image.channels();
        int ih = image.height();
        int iw = image.width();
        double scaleY = (double) ih / height;
        double scaleX = (double) iw / width;
        float[] out = new float[c * height * width];
        for (int y = 0; y < height; y++) {
            double top = y * scaleY;
            double bottom = (y + 1) * scaleY;
            for (int x = 0; x < width; x++) {
                double left = x * scaleX;
                double right = (x + 1) * scaleX;
                for (int ch = 0; ch < c; ch++) {
                    double sum = 0;
                    for (int sy = (int) Math.floor(top); sy < Math.min(ih, Math.ceil(bottom)); sy++) {
                        double wy = Math.min(bottom, sy + 1) - Math.max(top, sy);
                        for (int sx = (int) Math.floor(left); sx < Math.min(iw, Math.ceil(right)); sx++) {
                            double wx = Math.min(right, sx + 1) - Math.max(left, sx);
                            sum += wy * wx * image.at(ch, sy, sx);
                        }
                    }
                    out[(ch * height + y) * width + x] = clamp(sum / (scaleY * scaleX));
                }
            }
        }
        return new Image(c, height, width, out);
    }

    private static void checkSize(int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + height + "x" + width);
        }
    }

    private static float clamp(double v) {
        return (float) Math.max(0.0, Math.min(1.0, v));
    }
}
