package dev.robustsynth.engine.model;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.pgd.Resample;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.SeedSampler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.random.RandomGenerator;

/**
 * Class-conditional Gaussian seeds from {@code seeds.bin}: per class a mean μ and the packed lower-triangular
 * Cholesky factor L of its covariance, at a reduced resolution h×w. A seed is μ + L z with z ~ N(0, I) drawn from
 * the caller's generator, clipped to [0,1] and upsampled (bilinear) to the model's input size, so the same
 * generator state gives the same seed.
 */
public final class GaussianSeedSampler implements SeedSampler {
    private final int classes;
    private final int channels;
    private final int height;
    private final int width;
    private final int outHeight;
    private final int outWidth;
    private final int dim;
    private final float[][] means;
    private final float[][] factors;

    GaussianSeedSampler(int classes, int channels, int height, int width, int outHeight, int outWidth,
                        float[][] means, float[][] factors) {
        this.classes = classes;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.dim = channels * height * width;
        this.means = means;
        this.factors = factors;
    }

    /**
     * Reads {@code file}.
     *
     * @throws ModelLoadException when the file's size does not match the declared shape
     */
    public static GaussianSeedSampler read(Path file, int classes, ModelCard.Seeds shape, int outHeight,
                                           int outWidth) throws ModelLoadException {
        requireNonNull(shape, "shape is null");
        long dim = (long) shape.channels() * shape.height() * shape.width();
        if (dim <= 0 || dim > 1 << 16) {
            throw new ModelLoadException(file + ": seed shape " + shape.channels() + "x" + shape.height() + "x"
                    + shape.width() + " is empty or too large");
        }
        long packed = dim * (dim + 1) / 2;
        long expected = classes * (dim + packed) * 4;
        try {
            long size = Files.size(file);
            if (size != expected) {
                throw new ModelLoadException(file + ": " + size + " bytes; " + classes + " classes of "
                        + shape.channels() + "x" + shape.height() + "x" + shape.width()
                        + " (mean + packed Cholesky factor, float32) need " + expected);
            }
            FloatBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            float[][] means = new float[classes][(int) dim];
            float[][] factors = new float[classes][(int) packed];
            for (int k = 0; k < classes; k++) {
                all.get(means[k]);
                all.get(factors[k]);
                for (float v : means[k]) {
                    if (!Float.isFinite(v)) {
                        throw new ModelLoadException(file + ": class " + k + " has a non-finite mean value");
                    }
                }
            }
            return new GaussianSeedSampler(classes, shape.channels(), shape.height(), shape.width(), outHeight,
                    outWidth, means, factors);
        } catch (IOException e) {
            throw new ModelLoadException(file + ": unreadable seed statistics: " + e.getMessage(), e);
        }
    }

    int classes() {
        return classes;
    }

    /** D = C·h·w, the length of a mean at the reduced resolution. */
    int dimension() {
        return dim;
    }

    @Override
    public Image sample(int classIndex, RandomGenerator random) {
        double[] z = noise(classIndex, random);
        float[] mean = means[classIndex];
        float[] factor = factors[classIndex];
        float[] seed = new float[dim];
        int at = 0;
        for (int i = 0; i < dim; i++) {
            double v = mean[i];
            for (int j = 0; j <= i; j++) {
                v += factor[at++] * z[j];
            }
            seed[i] = (float) Math.min(1.0, Math.max(0.0, v));
        }
        return upsample(seed);
    }

    /**
     * {@code centres[offset..offset+D) + scale·L z} with class {@code classIndex}'s factor L and z ~ N(0, I) from
     * {@code random}, clipped to [0,1] and upsampled like {@link #sample}.
     */
    Image sampleAround(int classIndex, float[] centres, int offset, double scale, RandomGenerator random) {
        double[] z = noise(classIndex, random);
        float[] factor = factors[classIndex];
        float[] seed = new float[dim];
        int at = 0;
        for (int i = 0; i < dim; i++) {
            double lz = 0;
            for (int j = 0; j <= i; j++) {
                lz += factor[at++] * z[j];
            }
            seed[i] = (float) Math.min(1.0, Math.max(0.0, centres[offset + i] + scale * lz));
        }
        return upsample(seed);
    }

    private double[] noise(int classIndex, RandomGenerator random) {
        if (classIndex < 0 || classIndex >= classes) {
            throw new IllegalArgumentException("class " + classIndex + " outside [0," + classes + ")");
        }
        requireNonNull(random, "random is null");
        double[] z = new double[dim];
        for (int i = 0; i < dim; i++) {
            z[i] = random.nextGaussian();
        }
        return z;
    }

    private Image upsample(float[] seed) {
        return ImageCodec.resize(new Image(channels, height, width, seed), outHeight, outWidth, Resample.BILINEAR);
    }
}
