package dev.robustsynth.plugins.testkit;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.SeedSampler;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Class-conditional seeds with isotropic noise: class k has one or more component means; a seed is a mean plus
 * N(0, σ²) per pixel, clipped to [0,1]. {@link #sampleSingleGaussian} uses the average of the class's components,
 * like a single Gaussian fitted to the same images would.
 */
public final class GaussianSeeds implements SeedSampler {
    private final List<List<Image>> components;
    private final double sigma;

    public GaussianSeeds(List<List<Image>> components, double sigma) {
        this.components = List.copyOf(requireNonNull(components, "components is null").stream().map(List::copyOf).toList());
        this.sigma = sigma;
        for (List<Image> c : this.components) {
            if (c.isEmpty()) {
                throw new IllegalArgumentException("every class needs at least one component");
            }
        }
    }

    /** {@code classes} classes with {@code perClass} random component means each (uniform pixels), fixed by seed. */
    public static GaussianSeeds random(int classes, int perClass, int channels, int height, int width, double sigma,
                                       long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<List<Image>> all = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            List<Image> means = new ArrayList<>();
            for (int m = 0; m < perClass; m++) {
                float[] px = new float[channels * height * width];
                for (int i = 0; i < px.length; i++) {
                    px[i] = (float) random.nextDouble();
                }
                means.add(new Image(channels, height, width, px));
            }
            all.add(means);
        }
        return new GaussianSeeds(all, sigma);
    }

    @Override
    public int components(int classIndex) {
        return components.get(classIndex).size();
    }

    /** The component means of a class. */
    public List<Image> means(int classIndex) {
        return components.get(classIndex);
    }

    @Override
    public Image sample(int classIndex, RandomGenerator random) {
        List<Image> c = components.get(classIndex);
        return noisy(c.get(random.nextInt(c.size())).pixels(), c.get(0), random);
    }

    @Override
    public Image sampleSingleGaussian(int classIndex, RandomGenerator random) {
        List<Image> c = components.get(classIndex);
        float[] mean = new float[c.get(0).size()];
        for (Image m : c) {
            float[] px = m.pixels();
            for (int i = 0; i < mean.length; i++) {
                mean[i] += px[i] / c.size();
            }
        }
        return noisy(mean, c.get(0), random);
    }

    private Image noisy(float[] mean, Image shape, RandomGenerator random) {
        float[] out = new float[mean.length];
        for (int i = 0; i < mean.length; i++) {
            double v = mean[i] + sigma * random.nextGaussian();
            out[i] = (float) Math.max(0.0, Math.min(1.0, v));
        }
        return new Image(shape.channels(), shape.height(), shape.width(), out);
    }
}
