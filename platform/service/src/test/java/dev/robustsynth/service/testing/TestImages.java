package dev.robustsynth.service.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * PNG fixtures, made and read with the JDK only: test code must not touch engine or SPI classes directly, because
 * in a Quarkus test they live in Quarkus' class loader and a plain test in the same JVM would then trip over a
 * second copy (a loader constraint violation).
 */
public final class TestImages {
    private TestImages() {
    }

    /** A grey gradient PNG of the given size. */
    public static byte[] greyPng(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.getRaster().setSample(x, y, 0, (x * 9 + y * 3) % 256);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The grey samples of a PNG, row by row. */
    public static int[] greySamples(byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            return image.getRaster().getSamples(0, 0, image.getWidth(), image.getHeight(), 0,
                    new int[image.getWidth() * image.getHeight()]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
