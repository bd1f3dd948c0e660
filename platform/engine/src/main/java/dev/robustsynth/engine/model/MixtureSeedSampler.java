package dev.robustsynth.engine.model;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.SeedSampler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Class-conditional tied-covariance mixture seeds from {@code seeds-mixture.bin} (docs/MODEL-FORMAT.md) on top of the
 * class Gaussians of {@code seeds.bin}: class k has K components with weights π_j and means m_j, all sharing
 * s_k²·(Σ_k + ridge·I). {@link #sample} takes one {@code nextDouble()} from the caller's generator to pick
 * component j with probability π_j, then returns m_j + s_k·L_k z (z ~ N(0, I) from the same generator), clipped to
 * [0,1] and upsampled like a single-Gaussian seed. {@link #sampleSingleGaussian} is the {@link GaussianSeedSampler}'s
 * own sample, unchanged.
 */
public final class MixtureSeedSampler implements SeedSampler {
    /** The kind this reader understands ({@code seedMixture.kind} in the model card). */
    public static final String KIND = "tied-scaled-cholesky";
    static final int MAX_COMPONENTS = 1024;
    private static final double WEIGHT_TOLERANCE = 1e-3;

    private final GaussianSeedSampler gaussian;
    private final int components;
    private final int dim;
    private final float[] scales;
    private final double[][] cumulative;
    private final float[][] means;

    private MixtureSeedSampler(GaussianSeedSampler gaussian, int components, float[] scales, double[][] cumulative,
                               float[][] means) {
        this.gaussian = gaussian;
        this.components = components;
        this.dim = gaussian.dimension();
        this.scales = scales;
        this.cumulative = cumulative;
        this.means = means;
    }

    /**
     * Reads {@code file}: per class s_k, K weights, K·D means (little-endian float32, D from {@code gaussian}).
     *
     * @throws ModelLoadException naming the file when its size does not match or a value is out of range
     */
    public static MixtureSeedSampler read(Path file, GaussianSeedSampler gaussian, int components)
            throws ModelLoadException {
        requireNonNull(gaussian, "gaussian is null");
        if (components < 1 || components > MAX_COMPONENTS) {
            throw new ModelLoadException(file + ": seed mixture has " + components + " components; expected 1.."
                    + MAX_COMPONENTS);
        }
        int classes = gaussian.classes();
        int dim = gaussian.dimension();
        long expected = (long) classes * (1 + components + (long) components * dim) * 4;
        try {
            long size = Files.size(file);
            if (size != expected) {
                throw new ModelLoadException(file + ": " + size + " bytes; " + classes + " classes of " + components
                        + " components of dimension " + dim + " (scale, weights, means, float32) need " + expected);
            }
            FloatBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            float[] scales = new float[classes];
            double[][] cumulative = new double[classes][components];
            float[][] means = new float[classes][components * dim];
            float[] weights = new float[components];
            for (int k = 0; k < classes; k++) {
                scales[k] = all.get();
                if (!Float.isFinite(scales[k]) || scales[k] < 0) {
                    throw new ModelLoadException(file + ": class " + k + " has scale " + scales[k]
                            + "; expected a finite value >= 0");
                }
                all.get(weights);
                cumulative[k] = cumulative(file, k, weights);
                all.get(means[k]);
                for (float v : means[k]) {
                    if (!Float.isFinite(v)) {
                        throw new ModelLoadException(file + ": class " + k + " has a non-finite component mean value");
                    }
                }
            }
            return new MixtureSeedSampler(gaussian, components, scales, cumulative, means);
        } catch (IOException e) {
            throw new ModelLoadException(file + ": unreadable seed mixture: " + e.getMessage(), e);
        }
    }

    private static double[] cumulative(Path file, int k, float[] weights) throws ModelLoadException {
        double sum = 0;
        for (float w : weights) {
            if (!Float.isFinite(w) || w < 0) {
                throw new ModelLoadException(file + ": class " + k + " has component weight " + w
                        + "; expected a finite value >= 0");
            }
            sum += w;
        }
        if (Math.abs(sum - 1) > WEIGHT_TOLERANCE) {
            throw new ModelLoadException(file + ": class " + k + "'s component weights sum to " + sum + ", not 1");
        }
        double[] out = new double[weights.length];
        double acc = 0;
        for (int j = 0; j < weights.length; j++) {
            acc += weights[j] / sum;
            out[j] = acc;
        }
        return out;
    }

    @Override
    public int components(int classIndex) {
        checkClass(classIndex);
        return components;
    }

    @Override
    public Image sample(int classIndex, RandomGenerator random) {
        checkClass(classIndex);
        requireNonNull(random, "random is null");
        int j = component(classIndex, random.nextDouble());
        return gaussian.sampleAround(classIndex, means[classIndex], j * dim, scales[classIndex], random);
    }

    @Override
    public Image sampleSingleGaussian(int classIndex, RandomGenerator random) {
        return gaussian.sample(classIndex, random);
    }

    /** The component a uniform draw {@code u} in [0,1) picks: the first whose cumulative weight exceeds u. */
    int component(int classIndex, double u) {
        double[] c = cumulative[classIndex];
        for (int j = 0; j < c.length; j++) {
            if (u < c[j]) {
                return j;
            }
        }
        for (int j = c.length - 1; j > 0; j--) {
            if (c[j] > c[j - 1]) {
                return j;
            }
        }
        return 0;
    }

    /** Component j's mean of class k at the reduced resolution (D values). */
    float[] mean(int classIndex, int component) {
        return Arrays.copyOfRange(means[classIndex], component * dim, (component + 1) * dim);
    }

    float scale(int classIndex) {
        return scales[classIndex];
    }

    private void checkClass(int classIndex) {
        if (classIndex < 0 || classIndex >= scales.length) {
            throw new IllegalArgumentException("class " + classIndex + " outside [0," + scales.length + ")");
        }
    }
}
