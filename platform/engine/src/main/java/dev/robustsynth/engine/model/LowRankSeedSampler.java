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
 * Class-conditional seeds whose covariance is diagonal plus low rank, Σ_k ≈ U_k U_kᵀ + diag(d_k²) with U_k of D×r
 * (kind {@value #KIND}, docs/MODEL-FORMAT.md): D·(r+2) values per class instead of a Cholesky factor's D(D+1)/2, so
 * a thousand classes fit (3×16×16, r = 8: 30 KiB per class, 29 MiB for 1,000). A seed is μ_k + d_k ⊙ z + U_k w with
 * z ~ N(0, I_D) then w ~ N(0, I_r) from the caller's generator, clipped to [0,1] and upsampled (bilinear) to the
 * model's input size.
 */
public final class LowRankSeedSampler implements SeedSampler {
    public static final String KIND = "diag-lowrank";

    private final int classes;
    private final int channels;
    private final int height;
    private final int width;
    private final int rank;
    private final int outHeight;
    private final int outWidth;
    private final float[][] means;
    private final float[][] deviations;
    private final float[][] factors;

    LowRankSeedSampler(int channels, int height, int width, int rank, int outHeight, int outWidth, float[][] means,
                       float[][] deviations, float[][] factors) {
        this.classes = means.length;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.rank = rank;
        this.outHeight = outHeight;
        this.outWidth = outWidth;
        this.means = means;
        this.deviations = deviations;
        this.factors = factors;
    }

    /** Bytes per class of the file: D·(r+2) float32. */
    public static long bytesPerClass(int channels, int height, int width, int rank) {
        return (long) channels * height * width * (rank + 2) * 4;
    }

    /**
     * Reads {@code file}: per class μ (D), d (D), then U row-major (D rows of r).
     *
     * @throws ModelLoadException when the size does not match the declared shape, or a value is not finite
     */
    public static LowRankSeedSampler read(Path file, int classes, ModelCard.Seeds shape, int outHeight, int outWidth)
            throws ModelLoadException {
        requireNonNull(shape, "shape is null");
        int rank = shape.rank() == null ? 0 : shape.rank();
        long dim = (long) shape.channels() * shape.height() * shape.width();
        if (dim <= 0 || dim > 1 << 20 || rank < 0 || rank > 256) {
            throw new ModelLoadException(file + ": seed shape " + shape.channels() + "x" + shape.height() + "x"
                    + shape.width() + " rank " + rank + " is empty or too large");
        }
        long expected = classes * bytesPerClass(shape.channels(), shape.height(), shape.width(), rank);
        try {
            long size = Files.size(file);
            if (size != expected) {
                throw new ModelLoadException(file + ": " + size + " bytes; " + classes + " classes of "
                        + shape.channels() + "x" + shape.height() + "x" + shape.width() + " with rank " + rank
                        + " (mean, deviations, factor, float32) need " + expected);
            }
            FloatBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            float[][] means = new float[classes][(int) dim];
            float[][] devs = new float[classes][(int) dim];
            float[][] factors = new float[classes][(int) dim * rank];
            for (int k = 0; k < classes; k++) {
                all.get(means[k]);
                all.get(devs[k]);
                all.get(factors[k]);
                for (float[] a : new float[][] {means[k], devs[k], factors[k]}) {
                    for (float v : a) {
                        if (!Float.isFinite(v)) {
                            throw new ModelLoadException(file + ": class " + k + " has a non-finite value");
                        }
                    }
                }
            }
            return new LowRankSeedSampler(shape.channels(), shape.height(), shape.width(), rank, outHeight, outWidth,
                    means, devs, factors);
        } catch (IOException e) {
            throw new ModelLoadException(file + ": unreadable seed statistics: " + e.getMessage(), e);
        }
    }

    int rank() {
        return rank;
    }

    @Override
    public Image sample(int classIndex, RandomGenerator random) {
        if (classIndex < 0 || classIndex >= classes) {
            throw new IllegalArgumentException("class " + classIndex + " outside [0," + classes + ")");
        }
        requireNonNull(random, "random is null");
        int dim = channels * height * width;
        float[] mean = means[classIndex];
        float[] dev = deviations[classIndex];
        float[] u = factors[classIndex];
        double[] v = new double[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = mean[i] + dev[i] * random.nextGaussian();
        }
        for (int j = 0; j < rank; j++) {
            double w = random.nextGaussian();
            for (int i = 0; i < dim; i++) {
                v[i] += u[i * rank + j] * w;
            }
        }
        float[] seed = new float[dim];
        for (int i = 0; i < dim; i++) {
            seed[i] = (float) Math.min(1.0, Math.max(0.0, v[i]));
        }
        return ImageCodec.resize(new Image(channels, height, width, seed), outHeight, outWidth, Resample.BILINEAR);
    }
}
