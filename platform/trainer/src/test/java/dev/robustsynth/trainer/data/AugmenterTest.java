package dev.robustsynth.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmenterTest {

    private static LabeledImages ramp() {
        byte[] px = new byte[9];
        for (int i = 0; i < 9; i++) {
            px[i] = (byte) (i + 1);
        }
        return new LabeledImages(px, new int[] {0}, 1, 3, 3, List.of("a"));
    }

    @Test
    void noAugmentationCopiesPixels() {
        float[] b = Augmenter.NONE.batch(ramp(), new int[] {0}, 0, 1, new SplittableRandom(1));
        assertArrayEquals(ramp().toFloats(0, 1), b);
    }

    @Test
    void flipMirrorsRowsAndCropsStayInsideThePaddedImage() {
        Augmenter flipOnly = new Augmenter(0, false, true);
        boolean sawFlip = false;
        SplittableRandom rng = new SplittableRandom(3);
        for (int t = 0; t < 20; t++) {
            float[] b = flipOnly.batch(ramp(), new int[] {0}, 0, 1, rng);
            if (b[0] == 3 / 255f) {
                sawFlip = true;
                assertEquals(1 / 255f, b[2], 0);
            }
        }
        assertEquals(true, sawFlip);
        Augmenter crop = new Augmenter(1, true, false);
        for (int t = 0; t < 20; t++) {
            for (float v : crop.batch(ramp(), new int[] {0}, 0, 1, rng)) {
                assertEquals(true, v >= 1 / 255f && v <= 9 / 255f, "reflect padding never yields zeros");
            }
        }
        assertEquals(1, Augmenter.reflectIndex(-1, 3));
        assertEquals(1, Augmenter.reflectIndex(3, 3));
    }
}
