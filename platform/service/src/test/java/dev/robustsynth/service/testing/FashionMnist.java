package dev.robustsynth.service.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The Fashion-MNIST test set (10,000 28×28 grey images with labels), read from Debian's {@code dataset-fashion-mnist}
 * package (gzipped IDX files in {@code /usr/share/datasets/fashion-mnist}), with the JDK only. Samples are grey
 * levels 0–255, row by row, light on dark, as the models were trained on.
 */
public final class FashionMnist {
    public static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String IMAGES = "t10k-images-idx3-ubyte.gz";
    public static final String LABELS = "t10k-labels-idx1-ubyte.gz";
    public static final int SIZE = 28;
    /** The class names in label order (the same names the Fashion model cards list). */
    public static final List<String> CLASSES = List.of("t-shirt/top", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle boot");

    private static volatile FashionMnist testSet;

    private final byte[] pixels;
    private final byte[] labels;

    private FashionMnist(byte[] pixels, byte[] labels) {
        this.pixels = pixels;
        this.labels = labels;
    }

    /** Whether the IDX files are installed. */
    public static boolean available() {
        return Files.isRegularFile(DIR.resolve(IMAGES)) && Files.isRegularFile(DIR.resolve(LABELS));
    }

    /**
     * The test set, read once per JVM.
     *
     * @throws IllegalStateException when the files are missing or malformed
     */
    public static FashionMnist testSet() {
        FashionMnist set = testSet;
        if (set == null) {
            synchronized (FashionMnist.class) {
                set = testSet;
                if (set == null) {
                    set = read(DIR.resolve(IMAGES), DIR.resolve(LABELS));
                    testSet = set;
                }
            }
        }
        return set;
    }

    static FashionMnist read(Path images, Path labels) {
        if (!Files.isRegularFile(images) || !Files.isRegularFile(labels)) {
            throw new IllegalStateException(images + " or " + labels + " is missing: install Debian's "
                    + "dataset-fashion-mnist package (apt-get install dataset-fashion-mnist)");
        }
        try (DataInputStream in = idx(images); DataInputStream lab = idx(labels)) {
            int magic = in.readInt();
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (magic != 0x0803 || rows != SIZE || cols != SIZE) {
                throw new IllegalStateException(images + " is not an IDX file of 28×28 images (magic " + magic
                        + ", " + rows + "x" + cols + ")");
            }
            int labelMagic = lab.readInt();
            int labelCount = lab.readInt();
            if (labelMagic != 0x0801 || labelCount != count) {
                throw new IllegalStateException(labels + " does not hold " + count + " labels (magic "
                        + labelMagic + ", " + labelCount + ")");
            }
            byte[] px = new byte[count * SIZE * SIZE];
            in.readFully(px);
            byte[] lb = new byte[count];
            lab.readFully(lb);
            return new FashionMnist(px, lb);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + images + " / " + labels, e);
        }
    }

    private static DataInputStream idx(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
    }

    public int size() {
        return labels.length;
    }

    /** The label (class index) of image {@code i}. */
    public int label(int i) {
        return labels[i] & 0xff;
    }

    /** The grey levels 0–255 of image {@code i}, row by row. */
    public int[] samples(int i) {
        int[] out = new int[SIZE * SIZE];
        int base = i * SIZE * SIZE;
        for (int p = 0; p < out.length; p++) {
            out[p] = pixels[base + p] & 0xff;
        }
        return out;
    }

    /** Image {@code i} as a 28×28 grey PNG. */
    public byte[] png(int i) {
        return GreyImages.png(SIZE, SIZE, samples(i));
    }

    /** The index of the {@code nth} (0-based) image of class {@code className}. */
    public int indexOf(String className, int nth) {
        int label = CLASSES.indexOf(className);
        if (label < 0) {
            throw new IllegalArgumentException("no Fashion-MNIST class '" + className + "'; known: " + CLASSES);
        }
        int seen = 0;
        for (int i = 0; i < size(); i++) {
            if (label(i) == label && seen++ == nth) {
                return i;
            }
        }
        throw new IllegalArgumentException("the test set has fewer than " + (nth + 1) + " images of " + className);
    }
}
