package dev.robustsynth.trainer.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads the IDX format of MNIST-style data sets (optionally gzip'd): magic, dimensions, uint8 data. */
public final class IdxReader {

    /** Fashion-MNIST class names in label order. */
    public static final List<String> FASHION_CLASSES = List.of("t-shirt/top", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle boot");

    private IdxReader() {
    }

    /** A parsed IDX file: dimensions and the raw uint8 payload. */
    public record Idx(int[] dims, byte[] data) {
    }

    public static Idx read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = new BufferedInputStream(raw, 1 << 16);
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            }
            return read(in, file.toString());
        }
    }

    public static Idx read(InputStream stream, String what) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        int magic = in.readInt();
        if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != 0x08) {
            throw new IOException(what + ": not an unsigned-byte IDX file (magic 0x" + Integer.toHexString(magic) + ")");
        }
        int rank = magic & 0xff;
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readInt();
            total *= dims[i];
        }
        if (total > Integer.MAX_VALUE) {
            throw new IOException(what + ": too large (" + total + " values)");
        }
        byte[] data = new byte[(int) total];
        in.readFully(data);
        return new Idx(dims, data);
    }

    /** Images file (rank 3: N,H,W) + labels file (rank 1: N) as grey images. */
    public static LabeledImages readImages(Path images, Path labels, List<String> classes) throws IOException {
        Idx img = read(images);
        Idx lab = read(labels);
        if (img.dims().length != 3 || lab.dims().length != 1 || img.dims()[0] != lab.dims()[0]) {
            throw new IOException("IDX shapes do not match: images " + java.util.Arrays.toString(img.dims())
                    + ", labels " + java.util.Arrays.toString(lab.dims()));
        }
        int[] l = new int[lab.data().length];
        for (int i = 0; i < l.length; i++) {
            l[i] = lab.data()[i] & 0xff;
            if (l[i] >= classes.size()) {
                throw new IOException("label " + l[i] + " at index " + i + " outside " + classes.size() + " classes");
            }
        }
        return new LabeledImages(img.data(), l, 1, img.dims()[1], img.dims()[2], classes);
    }

    /** Fashion-MNIST from a directory holding the four standard {@code *-idx?-ubyte.gz} files. */
    public static LabeledImages fashion(Path dir, boolean train) throws IOException {
        String prefix = train ? "train" : "t10k";
        return readImages(dir.resolve(prefix + "-images-idx3-ubyte.gz"), dir.resolve(prefix + "-labels-idx1-ubyte.gz"),
                FASHION_CLASSES);
    }
}
