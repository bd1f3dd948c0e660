package dev.robustsynth.trainer.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads an image folder with one sub-folder per class ({@code root/<class>/*.png|jpg}); classes are the
 * sub-folder names in alphabetical order. Images are converted to the requested channel count and
 * resized (bilinear) when their size differs from the requested one.
 */
public final class ImageFolderReader {

    private ImageFolderReader() {
    }

    public static List<String> classNames(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            List<String> names = s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
            if (names.isEmpty()) {
                throw new IOException("no class folders under " + root);
            }
            return names;
        }
    }

    /**
     * @param perClassLimit at most this many images per class (files in name order), or 0 for all
     */
    public static LabeledImages read(Path root, int channels, int height, int width, int perClassLimit)
            throws IOException {
        return read(root, classNames(root), channels, height, width, perClassLimit);
    }

    public static LabeledImages read(Path root, List<String> classes, int channels, int height, int width,
            int perClassLimit) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int k = 0; k < classes.size(); k++) {
            Path dir = root.resolve(classes.get(k));
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> imgs = s.filter(ImageFolderReader::isImage).sorted().toList();
                if (perClassLimit > 0 && imgs.size() > perClassLimit) {
                    imgs = imgs.subList(0, perClassLimit);
                }
                for (Path p : imgs) {
                    files.add(p);
                    labels.add(k);
                }
            }
        }
        if (files.isEmpty()) {
            throw new IOException("no images (png, jpg, jpeg, bmp, gif) under " + root);
        }
        int size = channels * height * width;
        byte[] pixels = new byte[files.size() * size];
        for (int i = 0; i < files.size(); i++) {
            BufferedImage img = ImageIO.read(files.get(i).toFile());
            if (img == null) {
                throw new IOException("cannot decode " + files.get(i));
            }
            toChw(img, channels, height, width, pixels, i * size);
        }
        int[] l = labels.stream().mapToInt(Integer::intValue).toArray();
        return new LabeledImages(pixels, l, channels, height, width, classes);
    }

    static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp")
                || n.endsWith(".gif");
    }

    /** Writes the image as uint8 CHW (grey = luma average of RGB) into {@code out} at {@code offset}. */
    public static void toChw(BufferedImage src, int channels, int height, int width, byte[] out, int offset) {
        BufferedImage img = src;
        if (src.getWidth() != width || src.getHeight() != height) {
            img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(src, 0, 0, width, height, null);
            g.dispose();
        }
        int plane = height * width;
        boolean grey = img.getType() == BufferedImage.TYPE_BYTE_GRAY;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int gg = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                int idx = y * width + x;
                if (channels == 1) {
                    int v = grey ? img.getRaster().getSample(x, y, 0) : Math.round((r + gg + b) / 3f);
                    out[offset + idx] = (byte) v;
                } else {
                    out[offset + idx] = (byte) r;
                    out[offset + plane + idx] = (byte) gg;
                    out[offset + 2 * plane + idx] = (byte) b;
                }
            }
        }
    }
}
