package dev.robustsynth.plugins.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustsynth.spi.Image;
import org.junit.jupiter.api.Test;

class ResizeTest {
    @Test
    void nearestWithAnIntegerFactorReplicatesEachPixel() {
        Image small = new Image(1, 2, 2, new float[] {0.1f, 0.2f, 0.3f, 0.4f});
        Image big = Resize.nearest(small, 4, 4);
        assertArrayEquals(new float[] {
            0.1f, 0.1f, 0.2f, 0.2f,
            0.1f, 0.1f, 0.2f, 0.2f,
            0.3f, 0.3f, 0.4f, 0.4f,
            0.3f, 0.3f, 0.4f, 0.4f}, big.pixels());
    }

    @Test
    void bilinearMatchesPyTorchHalfPixelConvention() {
        // torch.nn.functional.interpolate(tensor([[[[0., 1.]]]]), size=(1, 4), mode='bilinear',
        // align_corners=False) gives [0, 0.25, 0.75, 1].
        Image row = new Image(1, 1, 2, new float[] {0f, 1f});
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, Resize.bilinear(row, 1, 4).pixels(), 1e-6f);
    }

    @Test
    void bilinearKeepsConstantsAndChannelsApart() {
        float[] px = new float[2 * 3 * 3];
        for (int i = 0; i < 9; i++) {
            px[i] = 0.25f;
            px[9 + i] = 0.75f;
        }
        Image up = Resize.bilinear(new Image(2, 3, 3, px), 7, 5);
        assertEquals(0.25f, up.at(0, 6, 4), 1e-6f);
        assertEquals(0.75f, up.at(1, 0, 0), 1e-6f);
    }

    @Test
    void areaAveragesWholeBlocks() {
        Image image = new Image(1, 2, 4, new float[] {0f, 1f, 0.2f, 0.4f, 1f, 0f, 0.6f, 0.8f});
        assertArrayEquals(new float[] {0.5f, 0.5f}, Resize.area(image, 1, 2).pixels(), 1e-6f);
    }

    @Test
    void areaWeighsFractionalOverlaps() {
        // 3 pixels into 2: the first output covers pixel 0 fully and half of pixel 1.
        Image image = new Image(1, 1, 3, new float[] {0f, 0.6f, 0.9f});
        float[] out = Resize.area(image, 1, 2).pixels();
        assertEquals((0f + 0.5f * 0.6f) / 1.5f, out[0], 1e-6f);
        assertEquals((0.5f * 0.6f + 0.9f) / 1.5f, out[1], 1e-6f);
    }

    @Test
    void areaOfAMaskGivesTheCoveredFraction() {
        Image mask = Masks.box(28, 28, 0, 0, 14, 7);
        Image small = Resize.area(mask, 7, 7);
        assertEquals(1f, small.at(0, 0, 0), 1e-6f);
        assertEquals(0.5f, small.at(0, 0, 3), 1e-6f);
        assertEquals(0f, small.at(0, 2, 0), 1e-6f);
    }
}
