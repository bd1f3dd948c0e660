package dev.robustsynth.plugins.testkit;

import dev.robustsynth.spi.Image;
import java.util.SplittableRandom;

/** Images for tests. */
public final class TestImages {
    private TestImages() {
    }

    /** Pixels uniform in [low, high], fixed by {@code seed}. */
    public static Image uniform(int channels, int height, int width, double low, double high, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] px = new float[channels * height * width];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (low + (high - low) * random.nextDouble());
        }
        return new Image(channels, height, width, px);
    }
}
