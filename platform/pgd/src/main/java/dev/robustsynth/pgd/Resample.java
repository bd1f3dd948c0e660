package dev.robustsynth.pgd;

import dev.robustsynth.spi.Image;

/**
 * Resampling of CHW float planes, each channel on its own, with pixel centres at half-integer coordinates (PyTorch
 * {@code align_corners=False}). The one resizer of the project: the engine's image codec, the plugins and the
 * evaluation all call it, and {@link BlockMean#down} is {@link #AREA} at an integer factor.
 */
public enum Resample {
    /** The source pixel whose area holds the output pixel's centre; an integer factor up replicates pixels. */
    NEAREST,
    /** Linear in each axis between the two nearest source centres, edges clamped; no anti-aliasing when shrinking. */
    BILINEAR,
    /** Keys' cubic convolution with a = −0.5 (Catmull-Rom, as PIL) over 4×4, edges clamped, result clipped to [0,1]. */
    BICUBIC,
    /**
     * The mean of the source area each output pixel covers, fractional overlaps weighted exactly, so any size works
     * (28 → 7, 32 → 6); at an integer factor, the mean of each factor × factor block. Not clipped: it is linear and
     * keeps any range (gradients too).
     */
    AREA;

    /** This resampling of {@code image} to {@code height × width}; the image itself when the size is already that. */
    public Image apply(Image image, int height, int width) {
        if (image.height() == height && image.width() == width) {
            return image;
        }
        return new Image(image.channels(), height, width,
                apply(image.pixels(), image.channels(), image.height(), image.width(), height, width));
    }

    /** This resampling of {@code channels × inH × inW} values to {@code channels × outH × outW}. */
    public float[] apply(float[] in, int channels, int inH, int inW, int outH, int outW) {
        if (channels <= 0 || inH <= 0 || inW <= 0 || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("sizes must be positive, got " + channels + "x" + inH + "x" + inW
                    + " → " + outH + "x" + outW);
        }
        if (in.length != channels * inH * inW) {
            throw new IllegalArgumentException(in.length + " values for " + channels + "x" + inH + "x" + inW);
        }
        return switch (this) {
            case NEAREST -> nearest(in, channels, inH, inW, outH, outW);
            case BILINEAR -> separable(in, channels, inH, inW, outH, outW, 1, Resample::triangle);
            case BICUBIC -> separable(in, channels, inH, inW, outH, outW, 2, Resample::keys);
            case AREA -> area(in, channels, inH, inW, outH, outW);
        };
    }

    private static float[] nearest(float[] in, int channels, int inH, int inW, int outH, int outW) {
        float[] out = new float[channels * outH * outW];
        for (int y = 0; y < outH; y++) {
            int sy = Math.min(inH - 1, (int) Math.floor((y + 0.5) * inH / outH));
            for (int x = 0; x < outW; x++) {
                int sx = Math.min(inW - 1, (int) Math.floor((x + 0.5) * inW / outW));
                for (int c = 0; c < channels; c++) {
                    out[(c * outH + y) * outW + x] = in[(c * inH + sy) * inW + sx];
                }
            }
        }
        return out;
    }

    private static float[] area(float[] in, int channels, int inH, int inW, int outH, int outW) {
        double scaleY = (double) inH / outH;
        double scaleX = (double) inW / outW;
        double norm = 1.0 / (scaleY * scaleX);
        float[] out = new float[channels * outH * outW];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < outH; y++) {
                double top = y * scaleY;
                double bottom = (y + 1) * scaleY;
                for (int x = 0; x < outW; x++) {
                    double left = x * scaleX;
                    double right = (x + 1) * scaleX;
                    double sum = 0;
                    for (int sy = (int) top; sy < Math.min(inH, Math.ceil(bottom)); sy++) {
                        double wy = Math.min(bottom, sy + 1) - Math.max(top, sy);
                        int row = (c * inH + sy) * inW;
                        for (int sx = (int) left; sx < Math.min(inW, Math.ceil(right)); sx++) {
                            sum += wy * (Math.min(right, sx + 1) - Math.max(left, sx)) * in[row + sx];
                        }
                    }
                    out[(c * outH + y) * outW + x] = (float) (sum * norm);
                }
            }
        }
        return out;
    }

    private interface Kernel {
        double weight(double distance);
    }

    private static double triangle(double d) {
        double a = Math.abs(d);
        return a < 1 ? 1 - a : 0;
    }

    private static double keys(double d) {
        double a = Math.abs(d);
        double k = -0.5;
        if (a <= 1) {
            return ((k + 2) * a - (k + 3)) * a * a + 1;
        }
        if (a < 2) {
            return ((k * a - 5 * k) * a + 8 * k) * a - 4 * k;
        }
        return 0;
    }

    /** Taps and weights of one axis: for each output index, {@code 2·radius} source indices (clamped). */
    private record Axis(int[] index, float[] weight, int taps) {
        static Axis of(int in, int out, int radius, Kernel kernel) {
            int taps = 2 * radius;
            int[] index = new int[out * taps];
            float[] weight = new float[out * taps];
            for (int o = 0; o < out; o++) {
                double centre = (o + 0.5) * in / out - 0.5;
                int first = (int) Math.floor(centre) - radius + 1;
                double sum = 0;
                for (int t = 0; t < taps; t++) {
                    double w = kernel.weight(centre - (first + t));
                    weight[o * taps + t] = (float) w;
                    index[o * taps + t] = Math.min(in - 1, Math.max(0, first + t));
                    sum += w;
                }
                for (int t = 0; t < taps; t++) {
                    weight[o * taps + t] = (float) (weight[o * taps + t] / sum);
                }
            }
            return new Axis(index, weight, taps);
        }
    }

    private static float[] separable(float[] in, int channels, int inH, int inW, int outH, int outW, int radius,
                                     Kernel kernel) {
        Axis ax = Axis.of(inW, outW, radius, kernel);
        Axis ay = Axis.of(inH, outH, radius, kernel);
        float[] rows = new float[channels * inH * outW];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < inH; y++) {
                int src = (c * inH + y) * inW;
                int dst = (c * inH + y) * outW;
                for (int x = 0; x < outW; x++) {
                    float v = 0;
                    for (int t = 0; t < ax.taps(); t++) {
                        v += ax.weight()[x * ax.taps() + t] * in[src + ax.index()[x * ax.taps() + t]];
                    }
                    rows[dst + x] = v;
                }
            }
        }
        float[] out = new float[channels * outH * outW];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < outH; y++) {
                int dst = (c * outH + y) * outW;
                for (int x = 0; x < outW; x++) {
                    float v = 0;
                    for (int t = 0; t < ay.taps(); t++) {
                        v += ay.weight()[y * ay.taps() + t] * rows[(c * inH + ay.index()[y * ay.taps() + t]) * outW + x];
                    }
                    out[dst + x] = Math.min(1f, Math.max(0f, v));
                }
            }
        }
        return out;
    }
}
