package dev.robustsynth.plugins.paint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustsynth.spi.Image;
import org.junit.jupiter.api.Test;

class RegionMasksTest {
    @Test
    void labelSelectsOneGreyLevel() {
        Image labels = new Image(1, 1, 3, new float[] {0f, 1f / 255f, 2f / 255f});
        assertArrayEquals(new float[] {0f, 0f, 1f}, RegionMasks.label(labels, 2).pixels());
    }

    @Test
    void featherWeighsTheRingByDistanceAndLeavesTheRestAtZero() {
        float[] px = new float[5 * 5];
        px[2 * 5 + 2] = 1f;
        Image mask = RegionMasks.feather(new Image(1, 5, 5, px), 1);
        assertEquals(1f, mask.at(0, 2, 2), 0f);
        assertEquals(0.25f, mask.at(0, 2, 3), 1e-6f);
        assertEquals(0f, mask.at(0, 1, 1), 0f, "distance √2 lies beyond one pixel");
        assertEquals(0f, mask.at(0, 0, 2), 0f);
    }
}
