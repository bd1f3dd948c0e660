package dev.robustsynth.plugins.paint;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.pgd.Resample;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.LayerInfo;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * A stroke's region as seen by one layer. For a spatial layer ({@code [C, h, w]}) the pixel region is area-averaged
 * down to {@code h × w} and normalised to sum 1, so a channel's "activation in the region" is its weighted mean
 * there; for any other layer (e.g. a pooled {@code [C]} vector) there is no spatial position and the whole
 * channel counts.
 *
 * @param layer   the layer
 * @param inside  per-position weights inside the region (sum 1), spatial layers only
 * @param outside per-position weights outside the region (sum 1), spatial layers whose region leaves some outside
 */
record LayerRegion(LayerInfo layer, Optional<float[]> inside, Optional<float[]> outside) {
    LayerRegion {
        requireNonNull(layer, "layer is null");
        requireNonNull(inside, "inside is null");
        requireNonNull(outside, "outside is null");
    }

    static LayerRegion of(LayerInfo layer, Image region) {
        int[] shape = layer.shape();
        if (shape.length != 3) {
            return new LayerRegion(layer, Optional.empty(), Optional.empty());
        }
        float[] small = Resample.AREA.apply(region, shape[1], shape[2]).pixels();
        float[] rest = new float[small.length];
        for (int i = 0; i < small.length; i++) {
            rest[i] = 1f - small[i];
        }
        return new LayerRegion(layer, normalised(small), normalised(rest));
    }

    /** Whether the layer has spatial positions the region maps onto. */
    boolean spatial() {
        return inside.isPresent();
    }

    int positions() {
        return layer.size() / layer.channels();
    }

    /** Activation weights that raise {@code channel}'s mean inside the region (all zero elsewhere). */
    float[] weights(int channel) {
        float[] out = new float[layer.size()];
        int p = positions();
        for (int i = 0; i < p; i++) {
            out[channel * p + i] = inside.isPresent() ? inside.get()[i] : 1f / p;
        }
        return out;
    }

    /** The channel's weighted mean inside the region (its plain mean for a non-spatial layer). */
    double inside(float[] activation, int channel) {
        return mean(activation, channel, inside);
    }

    /** The channel's weighted mean outside the region; empty for non-spatial layers or a region covering all. */
    OptionalDouble outside(float[] activation, int channel) {
        return outside.isPresent() ? OptionalDouble.of(mean(activation, channel, outside)) : OptionalDouble.empty();
    }

    private double mean(float[] activation, int channel, Optional<float[]> weights) {
        int p = positions();
        double sum = 0;
        for (int i = 0; i < p; i++) {
            double w = weights.isPresent() ? weights.get()[i] : 1.0 / p;
            sum += w * activation[channel * p + i];
        }
        return sum;
    }

    private static Optional<float[]> normalised(float[] w) {
        double total = 0;
        for (float v : w) {
            total += v;
        }
        if (total <= 1e-9) {
            return Optional.empty();
        }
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = (float) (w[i] / total);
        }
        return Optional.of(out);
    }
}
