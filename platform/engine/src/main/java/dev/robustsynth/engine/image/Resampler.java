package dev.robustsynth.engine.image;

/** Separable resampling of CHW float planes with half-pixel centres. */
final class Resampler {

    private Resampler() {
    }

    static float[] resize(float[] in, int channels, int inH, int inW, int outH, int outW, ResizeMethod method) {
        return switch (method) {
            case NEAREST -> nearest(in, channels, inH, inW, outH, outW);
            case BILINEAR -> separable(in, channels, inH, inW, outH, outW, 1, Resampler::triangle);
            case BICUBIC -> separable(in, channels, inH, inW, outH, outW, 2, Resampler::keys);
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
