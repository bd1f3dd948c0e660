package dev.robustsynth.service.testing;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.spi.Image;

/** PNG fixtures. */
public final class TestImages {
    private TestImages() {
    }

    /** A grey gradient PNG of the given size. */
    public static byte[] greyPng(int width, int height) {
        float[] pixels = new float[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = ((x * 9 + y * 3) % 256) / 255f;
            }
        }
        return ImageCodec.encodePng(new Image(1, height, width, pixels));
    }
}
