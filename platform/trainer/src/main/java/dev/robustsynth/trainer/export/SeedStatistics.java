package dev.robustsynth.trainer.export;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.trainer.data.LabeledImages;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Class-conditional Gaussian seed statistics (docs/MODEL-FORMAT.md, {@code seeds.bin}): per class the mean
 * and the packed lower Cholesky factor of covariance + ridge·I, of the images downsampled by area averaging
 * to {@code height x width}, pixel values in [0,1], CHW order.
 *
 * @param channels channels C
 * @param height   reduced height h
 * @param width    reduced width w
 * @param ridge    added to the covariance diagonal
 * @param means    per class, D = C·h·w values
 * @param chol     per class, packed lower-triangular L (row i holds L[i][0..i])
 */
public record SeedStatistics(int channels, int height, int width, double ridge, List<float[]> means,
        List<float[]> chol) {

    public static final String KIND = "gaussian-cholesky";
    public static final String FILE = "seeds.bin";

    public int dimension() {
        return channels * height * width;
    }

    public static SeedStatistics compute(LabeledImages data, int height, int width, double ridge) {
        return compute(data, reduce(data, height, width), height, width, ridge);
    }

    /** Statistics of {@code reduced}, the images of {@code data} as {@link #reduce} returns them. */
    public static SeedStatistics compute(LabeledImages data, float[][] reduced, int height, int width, double ridge) {
        int k = data.classes().size();
        int d = data.channels() * height * width;
        List<float[]> means = new ArrayList<>();
        List<float[]> chols = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            final int cls = c;
            int[] idx = IntStream.range(0, data.count()).filter(i -> data.labels()[i] == cls).toArray();
            if (idx.length < 2) {
                throw new IllegalArgumentException("class '" + data.classes().get(c) + "' has " + idx.length
                        + " images; seed statistics need at least 2");
            }
            double[] mean = new double[d];
            for (int i : idx) {
                float[] v = reduced[i];
                for (int j = 0; j < d; j++) {
                    mean[j] += v[j];
                }
            }
            for (int j = 0; j < d; j++) {
                mean[j] /= idx.length;
            }
            double[][] cov = covariance(reduced, idx, mean);
            for (int j = 0; j < d; j++) {
                cov[j][j] += ridge;
            }
            float[] m = new float[d];
            for (int j = 0; j < d; j++) {
                m[j] = (float) mean[j];
            }
            means.add(m);
            chols.add(pack(cholesky(cov)));
        }
        return new SeedStatistics(data.channels(), height, width, ridge, means, chols);
    }

    /** Every image of {@code data} area-averaged to {@code height x width}, CHW, values in [0,1]. */
    public static float[][] reduce(LabeledImages data, int height, int width) {
        float[][] reduced = new float[data.count()][];
        IntStream.range(0, data.count()).parallel()
                .forEach(i -> reduced[i] = areaDownsample(data, i, height, width));
        return reduced;
    }

    /** The model card's {@code seeds} block for this file. */
    public ObjectNode cardBlock(String file) {
        return JsonNodeFactory.instance.objectNode().put("file", file).put("channels", channels)
                .put("height", height).put("width", width).put("kind", KIND).put("ridge", ridge);
    }

    /** Adaptive average pooling (torch's bins: floor(i·H/h) .. ceil((i+1)·H/h)) to h×w, values in [0,1]. */
    static float[] areaDownsample(LabeledImages data, int index, int h, int w) {
        int c = data.channels();
        int sh = data.height();
        int sw = data.width();
        byte[] px = data.pixels();
        int base = index * data.imageSize();
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int y0 = (int) Math.floor((double) y * sh / h);
                int y1 = (int) Math.ceil((double) (y + 1) * sh / h);
                for (int x = 0; x < w; x++) {
                    int x0 = (int) Math.floor((double) x * sw / w);
                    int x1 = (int) Math.ceil((double) (x + 1) * sw / w);
                    int sum = 0;
                    for (int yy = y0; yy < y1; yy++) {
                        for (int xx = x0; xx < x1; xx++) {
                            sum += px[base + (ch * sh + yy) * sw + xx] & 0xff;
                        }
                    }
                    out[(ch * h + y) * w + x] = sum / (255f * (y1 - y0) * (x1 - x0));
                }
            }
        }
        return out;
    }

    static double[][] covariance(float[][] rows, int[] idx, double[] mean) {
        int d = mean.length;
        int n = idx.length;
        double[][] centered = new double[n][d];
        for (int r = 0; r < n; r++) {
            float[] v = rows[idx[r]];
            for (int j = 0; j < d; j++) {
                centered[r][j] = v[j] - mean[j];
            }
        }
        double[][] cov = new double[d][d];
        IntStream.range(0, d).parallel().forEach(a -> {
            double[] row = cov[a];
            for (int r = 0; r < n; r++) {
                double va = centered[r][a];
                if (va == 0) {
                    continue;
                }
                double[] cr = centered[r];
                for (int b = 0; b <= a; b++) {
                    row[b] += va * cr[b];
                }
            }
            for (int b = 0; b <= a; b++) {
                row[b] /= (n - 1);
            }
        });
        for (int a = 0; a < d; a++) {
            for (int b = a + 1; b < d; b++) {
                cov[a][b] = cov[b][a];
            }
        }
        return cov;
    }

    /** Lower Cholesky factor of a symmetric positive definite matrix. */
    public static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                double[] li = l[i];
                double[] lj = l[j];
                for (int k = 0; k < j; k++) {
                    s -= li[k] * lj[k];
                }
                if (i == j) {
                    if (s <= 0) {
                        throw new IllegalArgumentException("matrix not positive definite at " + i + " (pivot " + s
                                + "); increase the ridge");
                    }
                    li[i] = Math.sqrt(s);
                } else {
                    li[j] = s / lj[j];
                }
            }
        }
        return l;
    }

    static float[] pack(double[][] l) {
        int n = l.length;
        float[] out = new float[n * (n + 1) / 2];
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                out[p++] = (float) l[i][j];
            }
        }
        return out;
    }

    /** Unpacks class {@code k}'s L into a dense lower-triangular matrix. */
    public double[][] lower(int k) {
        int n = dimension();
        float[] packed = chol.get(k);
        double[][] l = new double[n][n];
        int p = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                l[i][j] = packed[p++];
            }
        }
        return l;
    }

    public void write(Path file) throws IOException {
        try (OutputStream os = Files.newOutputStream(file)) {
            write(os);
        }
    }

    public void write(OutputStream os) throws IOException {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(os, 1 << 16));
        for (int k = 0; k < means.size(); k++) {
            writeFloats(out, means.get(k));
            writeFloats(out, chol.get(k));
        }
        out.flush();
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(v);
        out.write(buf.array());
    }

    /** Reads a {@code seeds.bin} of {@code classes} classes with the given reduced shape. */
    public static SeedStatistics read(Path file, int classes, int channels, int height, int width, double ridge)
            throws IOException {
        int d = channels * height * width;
        int tri = d * (d + 1) / 2;
        byte[] all = Files.readAllBytes(file);
        long expected = (long) classes * (d + tri) * 4;
        if (all.length != expected) {
            throw new IOException(file + " has " + all.length + " bytes; expected " + expected + " for " + classes
                    + " classes at " + channels + "x" + height + "x" + width);
        }
        var fb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        List<float[]> means = new ArrayList<>();
        List<float[]> chols = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            float[] m = new float[d];
            fb.get(m);
            float[] l = new float[tri];
            fb.get(l);
            means.add(m);
            chols.add(l);
        }
        return new SeedStatistics(channels, height, width, ridge, means, chols);
    }
}
