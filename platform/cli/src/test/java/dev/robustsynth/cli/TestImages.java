package dev.robustsynth.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** Small images made in the test. */
public final class TestImages {
    private TestImages() {
    }

    /** A grey gradient PNG of the given size. */
    public static byte[] greyPng(int width, int height) {
        return encode(grey(width, height), "png");
    }

    public static BufferedImage grey(int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int v = (x * 255 / Math.max(1, width - 1) + y * 7) & 0xff;
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        return img;
    }

    public static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalArgumentException("no writer for " + format);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
