package dev.robustsynth.plugins.paint;

import dev.robustsynth.spi.Image;

/** The masks only paint needs: a label's region of a grey label image, and a region's feathered change mask. */
final class RegionMasks {
    private RegionMasks() {
    }

    /**
     * A one-channel mask that is 1 where the first channel's grey level (0–255) equals {@code label}: one PNG can
     * carry many regions.
     */
    static Image label(Image labels, int label) {
        int plane = labels.height() * labels.width();
        float[] px = labels.pixels();
        float[] out = new float[plane];
        for (int i = 0; i < plane; i++) {
            out[i] = Math.round(px[i] * 255f) == label ? 1f : 0f;
        }
        return new Image(1, labels.height(), labels.width(), out);
    }

    /**
     * The one-channel region {@code mask} (≥ 0.5 = inside) widened by {@code pixels}: 1 inside, then
     * {@code (1 − d/(pixels+1))²} at Euclidean distance d ≤ {@code pixels} from the region, 0 beyond.
     */
    static Image feather(Image mask, int pixels) {
        if (pixels < 0) {
            throw new IllegalArgumentException("feather must be ≥ 0, got " + pixels);
        }
        int h = mask.height();
        int w = mask.width();
        float[] out = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (mask.at(0, y, x) >= 0.5f) {
                    out[y * w + x] = 1f;
                    continue;
                }
                double nearest = Double.POSITIVE_INFINITY;
                for (int yy = Math.max(0, y - pixels); yy <= Math.min(h - 1, y + pixels); yy++) {
                    for (int xx = Math.max(0, x - pixels); xx <= Math.min(w - 1, x + pixels); xx++) {
                        if (mask.at(0, yy, xx) >= 0.5f) {
                            nearest = Math.min(nearest, Math.hypot(yy - y, xx - x));
                        }
                    }
                }
                if (nearest <= pixels) {
                    double v = 1 - nearest / (pixels + 1);
                    out[y * w + x] = (float) (v * v);
                }
            }
        }
        return new Image(1, h, w, out);
    }
}
