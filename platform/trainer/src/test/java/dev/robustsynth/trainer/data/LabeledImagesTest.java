package dev.robustsynth.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabeledImagesTest {

    @Test
    void spreadTakesEveryClassOfAClassSortedSplit() {
        int perClass = 100;
        int classes = 10;
        byte[] pixels = new byte[perClass * classes];
        int[] labels = new int[perClass * classes];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / perClass;
            pixels[i] = (byte) i;
        }
        LabeledImages sorted = new LabeledImages(pixels, labels, 1, 1, 1,
                List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));

        LabeledImages spread = sorted.spread(100);

        int[] counts = new int[classes];
        for (int label : spread.labels(0, 100)) {
            counts[label]++;
        }
        assertArrayEquals(new int[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, counts);
        assertEquals(10, spread.pixels()[1] & 0xff, "image i comes from position i·count/n, with its label");
        assertEquals(sorted.count(), sorted.spread(5000).count(), "asking for more gives all of them");
    }
}
