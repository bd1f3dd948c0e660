package dev.robustsynth.trainer.data;

import java.util.SplittableRandom;

/**
 * Training augmentation done in Java while a batch is copied into its float array: random crop from
 * an image padded by {@code pad} pixels (reflect or zero padding) and random horizontal flip.
 */
public record Augmenter(int pad, boolean reflect, boolean flip) {

    public static final Augmenter NONE = new Augmenter(0, false, false);

    /**
     * Fills a float batch (values in [0,1]) for the images at {@code indices[from..from+n-1]}.
     */
    public float[] batch(LabeledImages data, int[] indices, int from, int n, SplittableRandom rng) {
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int size = data.imageSize();
        float[] out = new float[n * size];
        byte[] px = data.pixels();
        for (int b = 0; b < n; b++) {
            int src = indices[from + b] * size;
            int dy = pad > 0 ? rng.nextInt(2 * pad + 1) - pad : 0;
            int dx = pad > 0 ? rng.nextInt(2 * pad + 1) - pad : 0;
            boolean mirror = flip && rng.nextBoolean();
            int dst = b * size;
            for (int ch = 0; ch < c; ch++) {
                int plane = src + ch * h * w;
                for (int y = 0; y < h; y++) {
                    int sy = y + dy;
                    boolean rowOut = sy < 0 || sy >= h;
                    if (rowOut && reflect) {
                        sy = reflectIndex(sy, h);
                        rowOut = false;
                    }
                    for (int x = 0; x < w; x++) {
                        int xx = mirror ? w - 1 - x : x;
                        int sx = xx + dx;
                        boolean colOut = sx < 0 || sx >= w;
                        if (colOut && reflect) {
                            sx = reflectIndex(sx, w);
                            colOut = false;
                        }
                        out[dst++] = rowOut || colOut ? 0f : (px[plane + sy * w + sx] & 0xff) / 255f;
                    }
                }
            }
        }
        return out;
    }

    static int reflectIndex(int i, int n) {
        if (i < 0) {
            return -i;
        }
        if (i >= n) {
            return 2 * n - 2 - i;
        }
        return i;
    }
}
