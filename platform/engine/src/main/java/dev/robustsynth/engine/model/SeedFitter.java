package dev.robustsynth.engine.model;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.pgd.Resample;
import dev.robustsynth.spi.Image;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fits {@link LowRankSeedSampler} statistics from example images: per class, the images are resized (area average)
 * to the seed resolution, μ is their mean, U holds the top r principal directions scaled by the square roots of
 * their variances (16 rounds of subspace iteration from a fixed start, so the result is deterministic), and d² is
 * each pixel's variance left over, floored at {@code ridge}. With n images a class has at most n−1 directions; the
 * rest of U is zero.
 */
public final class SeedFitter {
    private static final int ROUNDS = 16;

    private SeedFitter() {}

    /** The seed shape of a fit, as written into the card's {@code seeds} block. */
    public record Shape(int channels, int height, int width, int rank, double ridge) {
        public ModelCard.Seeds card(String file) {
            return new ModelCard.Seeds(file, channels, height, width, LowRankSeedSampler.KIND, ridge, rank);
        }
    }

    /**
     * Writes the statistics of {@code perClass} (one list of images per class, in class order, each image with the
     * shape's channel count) to {@code file}.
     *
     * @throws IllegalArgumentException for a class without images or an image with another channel count
     */
    public static void fit(List<List<Image>> perClass, Shape shape, Path file) throws IOException {
        requireNonNull(perClass, "perClass is null");
        int dim = shape.channels() * shape.height() * shape.width();
        int r = shape.rank();
        try (OutputStream out = Files.newOutputStream(file)) {
            ByteBuffer buf = ByteBuffer.allocate(dim * (r + 2) * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < perClass.size(); k++) {
                List<Image> images = perClass.get(k);
                if (images.isEmpty()) {
                    throw new IllegalArgumentException("class " + k + " has no images");
                }
                float[][] x = new float[images.size()][];
                for (int n = 0; n < x.length; n++) {
                    Image im = images.get(n);
                    if (im.channels() != shape.channels()) {
                        throw new IllegalArgumentException("class " + k + " image " + n + " has " + im.channels()
                                + " channels, not " + shape.channels());
                    }
                    x[n] = ImageCodec.resize(im, shape.height(), shape.width(), Resample.AREA).pixels();
                }
                double[][] stats = fitClass(x, dim, r, shape.ridge(), k);
                buf.clear();
                for (double[] part : stats) {
                    for (double v : part) {
                        buf.putFloat((float) v);
                    }
                }
                out.write(buf.array());
            }
        }
    }

    /** {mean, deviations, U row-major} of one class. */
    static double[][] fitClass(float[][] x, int dim, int r, double ridge, long seed) {
        int n = x.length;
        double[] mean = new double[dim];
        for (float[] row : x) {
            for (int i = 0; i < dim; i++) {
                mean[i] += row[i];
            }
        }
        for (int i = 0; i < dim; i++) {
            mean[i] /= n;
        }
        double[][] c = new double[n][dim];
        double[] var = new double[dim];
        for (int m = 0; m < n; m++) {
            for (int i = 0; i < dim; i++) {
                c[m][i] = x[m][i] - mean[i];
                var[i] += c[m][i] * c[m][i] / n;
            }
        }
        int q = Math.min(r, Math.max(0, n - 1));
        double[][] v = new double[q][dim];
        SplittableRandom random = new SplittableRandom(seed);
        for (double[] col : v) {
            for (int i = 0; i < dim; i++) {
                col[i] = random.nextDouble() - 0.5;
            }
        }
        orthonormalise(v);
        for (int round = 0; round < ROUNDS && q > 0; round++) {
            double[][] next = new double[q][dim];
            for (int m = 0; m < n; m++) {
                for (int j = 0; j < q; j++) {
                    double p = dot(c[m], v[j]);
                    for (int i = 0; i < dim; i++) {
                        next[j][i] += p * c[m][i];
                    }
                }
            }
            v = next;
            orthonormalise(v);
        }
        double[] u = new double[dim * r];
        double[] explained = new double[dim];
        for (int j = 0; j < q; j++) {
            double lambda = 0;
            for (int m = 0; m < n; m++) {
                double p = dot(c[m], v[j]);
                lambda += p * p / n;
            }
            double s = Math.sqrt(lambda);
            for (int i = 0; i < dim; i++) {
                u[i * r + j] = v[j][i] * s;
                explained[i] += v[j][i] * v[j][i] * lambda;
            }
        }
        double[] dev = new double[dim];
        for (int i = 0; i < dim; i++) {
            dev[i] = Math.sqrt(Math.max(var[i] - explained[i], 0) + ridge);
        }
        return new double[][] {mean, dev, u};
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Modified Gram-Schmidt; a direction that vanishes becomes zero. */
    private static void orthonormalise(double[][] v) {
        for (int j = 0; j < v.length; j++) {
            for (int p = 0; p < j; p++) {
                double d = dot(v[j], v[p]);
                for (int i = 0; i < v[j].length; i++) {
                    v[j][i] -= d * v[p][i];
                }
            }
            double norm = Math.sqrt(dot(v[j], v[j]));
            for (int i = 0; i < v[j].length; i++) {
                v[j][i] = norm > 1e-12 ? v[j][i] / norm : 0;
            }
        }
    }
}
