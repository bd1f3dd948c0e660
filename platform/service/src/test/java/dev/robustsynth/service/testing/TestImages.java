package dev.robustsynth.service.testing;

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
        int[] samples = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                samples[y * width + x] = (x * 9 + y * 3) % 256;
            }
        }
        return GreyImages.png(width, height, samples);
    }

    /** The grey samples of a PNG, row by row. */
    public static int[] greySamples(byte[] png) {
        return GreyImages.samples(png);
    }
}
