package dev.robustsynth.trainer.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.trainer.data.LabeledImages;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Per-class tied-covariance Gaussian mixtures for generation seeds (docs/MODEL-FORMAT.md,
 * {@code seeds-mixture.bin}), at the resolution of {@link SeedStatistics}.
 *
 * <p>Class k's mixture has K components with weights π_j and means m_j; every component shares the covariance
 * s_k²·(Σ_k + ridge·I), a multiple of the class covariance whose Cholesky factor {@code seeds.bin} already holds, so
 * the file adds no D×D matrix (a full covariance per component would not fit the size cap). The fit is a
 * deterministic k-means (k-means++ start from a seeded generator, at most {@link #ITERATIONS} Lloyd iterations);
 * π_j are the cluster fractions, m_j the cluster means and s_k² = tr(Σ_within)/tr(Σ_k), with Σ_within the pooled
 * within-cluster covariance (both normalised by n, so s_k ≤ 1): the mixture keeps the class's total variance
 * tr(Σ_between) + s_k²·tr(Σ_k) = tr(Σ_k).
 *
 * @param channels   channels C
 * @param height     reduced height h
 * @param width      reduced width w
 * @param components K, the same for every class
 * @param classes    one fit per class, in class order
 */
public record SeedMixture(int channels, int height, int width, int components, List<ClassMixture> classes) {

    public static final String KIND = "tied-scaled-cholesky";
    public static final String FILE = "seeds-mixture.bin";
    public static final int DEFAULT_COMPONENTS = 5;
    public static final int ITERATIONS = 25;
    public static final long DEFAULT_SEED = 1;

    /**
     * One class's mixture.
     *
     * @param scale   s_k, the factor on the class's Cholesky factor
     * @param weights π_j, K values summing to 1 (0 for a component that kept no image)
     * @param means   K·D values, component j at offset j·D
     */
    public record ClassMixture(float scale, float[] weights, float[] means) {
    }

    public SeedMixture {
        if (components < 1) {
            throw new IllegalArgumentException("components must be positive, got " + components);
        }
        classes = List.copyOf(classes);
    }

    public int dimension() {
        return channels * height * width;
    }

    /** Component j's mean of class k. */
    public float[] mean(int k, int j) {
        int d = dimension();
        return Arrays.copyOfRange(classes.get(k).means(), j * d, (j + 1) * d);
    }

    /** Fits every class of {@code data} from its images as {@link SeedStatistics#reduce} returns them. */
    public static SeedMixture fit(LabeledImages data, float[][] reduced, int height, int width, int components,
            long seed) {
        int[] labels = data.labels();
        ClassMixture[] fits = new ClassMixture[data.classes().size()];
        IntStream.range(0, fits.length).parallel().forEach(c -> {
            float[][] rows = IntStream.range(0, data.count()).filter(i -> labels[i] == c).mapToObj(i -> reduced[i])
                    .toArray(float[][]::new);
            if (rows.length == 0) {
                throw new IllegalArgumentException("class '" + data.classes().get(c) + "' has no images");
            }
            fits[c] = fitClass(rows, components, ITERATIONS, classSeed(seed, c));
        });
        return new SeedMixture(data.channels(), height, width, components, List.of(fits));
    }

    static long classSeed(long seed, int classIndex) {
        return seed * 0x9E3779B97F4A7C15L + classIndex;
    }

    /** One class's mixture from its reduced images. */
    static ClassMixture fitClass(float[][] rows, int components, int iterations, long seed) {
        int d = rows[0].length;
        Clustering c = kMeans(rows, components, iterations, seed);
        double[] mean = new double[d];
        for (float[] row : rows) {
            for (int i = 0; i < d; i++) {
                mean[i] += row[i];
            }
        }
        for (int i = 0; i < d; i++) {
            mean[i] /= rows.length;
        }
        double total = 0;
        for (float[] row : rows) {
            total += squaredDistance(row, mean);
        }
        float scale = total > 0 ? (float) Math.sqrt(Math.min(1.0, c.withinSumOfSquares() / total)) : 1f;
        float[] weights = new float[components];
        float[] means = new float[components * d];
        for (int j = 0; j < components; j++) {
            weights[j] = (float) c.counts()[j] / rows.length;
            for (int i = 0; i < d; i++) {
                means[j * d + i] = (float) c.centroids()[j][i];
            }
        }
        return new ClassMixture(scale, weights, means);
    }

    /**
     * A k-means result.
     *
     * @param centroids          the means of the final clusters (an empty cluster keeps its last centroid)
     * @param assignment         cluster of each point
     * @param counts             points per cluster
     * @param withinSumOfSquares Σ over points of the squared distance to their centroid
     */
    record Clustering(double[][] centroids, int[] assignment, int[] counts, double withinSumOfSquares) {
    }

    /**
     * Lloyd's k-means from a k-means++ start drawn with {@code seed}, stopping early once no point changes cluster;
     * a cluster left empty takes the point farthest from its centroid. Deterministic for the same inputs.
     */
    static Clustering kMeans(float[][] rows, int k, int iterations, long seed) {
        int n = rows.length;
        double[][] centroids = kMeansPlusPlus(rows, k, new SplittableRandom(seed));
        int[] assignment = new int[n];
        double[] distance = new double[n];
        assign(rows, centroids, assignment, distance);
        for (int it = 0; it < iterations; it++) {
            int[] counts = update(rows, centroids, assignment);
            refillEmpty(rows, centroids, assignment, distance, counts);
            if (!assign(rows, centroids, assignment, distance)) {
                break;
            }
        }
        int[] counts = update(rows, centroids, assignment);
        double within = 0;
        for (int i = 0; i < n; i++) {
            within += squaredDistance(rows[i], centroids[assignment[i]]);
        }
        return new Clustering(centroids, assignment, counts, within);
    }

    private static double[][] kMeansPlusPlus(float[][] rows, int k, SplittableRandom random) {
        int n = rows.length;
        int d = rows[0].length;
        double[][] centroids = new double[k][d];
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        int pick = random.nextInt(n);
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < d; i++) {
                centroids[j][i] = rows[pick][i];
            }
            if (j == k - 1) {
                break;
            }
            double sum = 0;
            for (int p = 0; p < n; p++) {
                nearest[p] = Math.min(nearest[p], squaredDistance(rows[p], centroids[j]));
                sum += nearest[p];
            }
            if (sum == 0) {
                pick = (pick + 1) % n;
                continue;
            }
            double target = random.nextDouble() * sum;
            pick = n - 1;
            double acc = 0;
            for (int p = 0; p < n; p++) {
                acc += nearest[p];
                if (acc > target && nearest[p] > 0) {
                    pick = p;
                    break;
                }
            }
        }
        return centroids;
    }

    /** Nearest centroid of every point (ties to the lower index); whether any assignment changed. */
    private static boolean assign(float[][] rows, double[][] centroids, int[] assignment, double[] distance) {
        boolean changed = false;
        for (int p = 0; p < rows.length; p++) {
            int best = 0;
            double bestD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < centroids.length; j++) {
                double dist = squaredDistance(rows[p], centroids[j]);
                if (dist < bestD) {
                    bestD = dist;
                    best = j;
                }
            }
            changed |= assignment[p] != best;
            assignment[p] = best;
            distance[p] = bestD;
        }
        return changed;
    }

    /** Centroids become their clusters' means (empty clusters keep theirs); returns the cluster sizes. */
    private static int[] update(float[][] rows, double[][] centroids, int[] assignment) {
        int k = centroids.length;
        int d = centroids[0].length;
        double[][] sums = new double[k][d];
        int[] counts = new int[k];
        for (int p = 0; p < rows.length; p++) {
            double[] s = sums[assignment[p]];
            for (int i = 0; i < d; i++) {
                s[i] += rows[p][i];
            }
            counts[assignment[p]]++;
        }
        for (int j = 0; j < k; j++) {
            if (counts[j] > 0) {
                for (int i = 0; i < d; i++) {
                    centroids[j][i] = sums[j][i] / counts[j];
                }
            }
        }
        return counts;
    }

    private static void refillEmpty(float[][] rows, double[][] centroids, int[] assignment, double[] distance,
            int[] counts) {
        for (int j = 0; j < centroids.length; j++) {
            if (counts[j] > 0) {
                continue;
            }
            int far = -1;
            for (int p = 0; p < rows.length; p++) {
                if (counts[assignment[p]] > 1 && distance[p] > 0 && (far < 0 || distance[p] > distance[far])) {
                    far = p;
                }
            }
            if (far < 0) {
                return;
            }
            counts[assignment[far]]--;
            counts[j] = 1;
            assignment[far] = j;
            distance[far] = 0;
            for (int i = 0; i < centroids[j].length; i++) {
                centroids[j][i] = rows[far][i];
            }
        }
    }

    private static double squaredDistance(float[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double t = a[i] - b[i];
            s += t * t;
        }
        return s;
    }

    /** The model card's {@code seedMixture} block for this file. */
    public ObjectNode cardBlock(String file) {
        return JsonNodeFactory.instance.objectNode().put("file", file).put("components", components).put("kind", KIND)
                .put("fit", "k-means, k-means++ start, at most " + ITERATIONS + " iterations; weights = cluster"
                        + " fractions; covariance = scale² × the class's seeds covariance");
    }

    /**
     * A copy of {@code card} whose {@code seeds} block is {@code seeds} and whose {@code seedMixture} block, right
     * after it, is {@code mixture} (removed when null); every other field is kept, in order.
     */
    public static ObjectNode withSeedBlocks(ObjectNode card, ObjectNode seeds, ObjectNode mixture) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        boolean placed = false;
        for (Map.Entry<String, JsonNode> field : card.properties()) {
            switch (field.getKey()) {
                case "seedMixture" -> {
                }
                case "seeds" -> {
                    out.set("seeds", seeds);
                    if (mixture != null) {
                        out.set("seedMixture", mixture);
                    }
                    placed = true;
                }
                default -> out.set(field.getKey(), field.getValue());
            }
        }
        if (!placed) {
            out.set("seeds", seeds);
            if (mixture != null) {
                out.set("seedMixture", mixture);
            }
        }
        return out;
    }

    public void write(Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            write(os);
        }
    }

    /** Per class: s_k, the K weights, the K·D means; little-endian float32. */
    public void write(OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
        for (ClassMixture c : classes) {
            ByteBuffer buf = ByteBuffer.allocate((1 + c.weights().length + c.means().length) * 4)
                    .order(ByteOrder.LITTLE_ENDIAN);
            FloatBuffer fb = buf.asFloatBuffer();
            fb.put(c.scale());
            fb.put(c.weights());
            fb.put(c.means());
            out.write(buf.array());
        }
        out.flush();
    }

    /** Bytes of a file of {@code classes} classes, K components and dimension D. */
    public static long fileSize(int classes, int components, int dimension) {
        return (long) classes * (1 + components + (long) components * dimension) * 4;
    }

    /** Reads a {@code seeds-mixture.bin} of {@code classes} classes with the given shape. */
    public static SeedMixture read(Path file, int classes, int channels, int height, int width, int components)
            throws IOException {
        int d = channels * height * width;
        byte[] all = Files.readAllBytes(file);
        long expected = fileSize(classes, components, d);
        if (all.length != expected) {
            throw new IOException(file + " has " + all.length + " bytes; expected " + expected + " for " + classes
                    + " classes of " + components + " components at " + channels + "x" + height + "x" + width);
        }
        FloatBuffer fb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        ClassMixture[] fits = new ClassMixture[classes];
        for (int k = 0; k < classes; k++) {
            float scale = fb.get();
            float[] weights = new float[components];
            fb.get(weights);
            float[] means = new float[components * d];
            fb.get(means);
            fits[k] = new ClassMixture(scale, weights, means);
        }
        return new SeedMixture(channels, height, width, components, List.of(fits));
    }
}
