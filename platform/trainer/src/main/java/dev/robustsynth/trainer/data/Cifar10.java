package dev.robustsynth.trainer.data;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CIFAR-10 from the project's JPEG archive ({@code train/<class>/*.jpg}, {@code test/<class>/*.jpg}).
 * The archive is unpacked once into a cache directory (outside git) and the decoded pixels are cached
 * as one binary file per split, so later runs load in a second.
 */
public final class Cifar10 {

    public static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    private static final int MAGIC = 0x43494641; // "CIFA"

    private Cifar10() {
    }

    /**
     * @param archive  the {@code cifar10-jpeg.tar.xz} archive (used only when {@code cacheDir} lacks the split)
     * @param cacheDir where the archive is unpacked and decoded caches are kept
     * @param perClassLimit 0 for the whole split, else the first n files of each class (no binary cache then)
     */
    public static LabeledImages load(Path archive, Path cacheDir, boolean train, int perClassLimit)
            throws IOException {
        String split = train ? "train" : "test";
        Path cache = cacheDir.resolve("cifar10-" + split + ".u8");
        if (perClassLimit == 0 && Files.isRegularFile(cache)) {
            return readCache(cache);
        }
        Path root = cacheDir.resolve(split);
        if (!Files.isDirectory(root.resolve(CLASSES.get(CLASSES.size() - 1)))) {
            unpack(archive, cacheDir, perClassLimit == 0 ? null : split);
        }
        LabeledImages images = ImageFolderReader.read(root, CLASSES, 3, 32, 32, perClassLimit);
        if (perClassLimit == 0) {
            writeCache(images, cache);
        }
        return images;
    }

    /** Unpacks the archive (or only one split folder of it) with the system's tar. */
    public static void unpack(Path archive, Path dir, String onlySplit) throws IOException {
        if (!Files.isRegularFile(archive)) {
            throw new IOException("CIFAR-10 archive not found: " + archive.toAbsolutePath());
        }
        Files.createDirectories(dir);
        List<String> cmd = new java.util.ArrayList<>(List.of("tar", "-xJf", archive.toAbsolutePath().toString(),
                "-C", dir.toAbsolutePath().toString()));
        if (onlySplit != null) {
            cmd.add(onlySplit);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (p.waitFor() != 0) {
                throw new IOException("tar failed (" + p.exitValue() + "): " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unpacking " + archive, e);
        }
    }

    static void writeCache(LabeledImages images, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(images.count());
            for (int l : images.labels()) {
                out.writeByte(l);
            }
            out.write(images.pixels());
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static LabeledImages readCache(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a CIFAR cache file: " + file);
            }
            int n = in.readInt();
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = in.readUnsignedByte();
            }
            byte[] pixels = new byte[n * 3 * 32 * 32];
            in.readFully(pixels);
            return new LabeledImages(pixels, labels, 3, 32, 32, CLASSES);
        }
    }
}
