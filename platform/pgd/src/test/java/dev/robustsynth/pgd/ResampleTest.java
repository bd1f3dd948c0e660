package dev.robustsynth.pgd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustsynth.spi.Image;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResampleTest {
    @Test
    void nearestWithAnIntegerFactorReplicatesEachPixel() {
        Image small = new Image(1, 2, 2, new float[] {0.1f, 0.2f, 0.3f, 0.4f});
        Image big = Resample.NEAREST.apply(small, 4, 4);
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
        assertArrayEquals(new float[] {0f, 0.25f, 0.75f, 1f}, Resample.BILINEAR.apply(row, 1, 4).pixels(), 1e-6f);
    }

    @Test
    void bilinearKeepsConstantsAndChannelsApart() {
        float[] px = new float[2 * 3 * 3];
        for (int i = 0; i < 9; i++) {
            px[i] = 0.25f;
            px[9 + i] = 0.75f;
        }
        Image up = Resample.BILINEAR.apply(new Image(2, 3, 3, px), 7, 5);
        assertEquals(0.25f, up.at(0, 6, 4), 1e-6f);
        assertEquals(0.75f, up.at(1, 0, 0), 1e-6f);
    }

    @Test
    void areaAveragesWholeBlocks() {
        Image image = new Image(1, 2, 4, new float[] {0f, 1f, 0.2f, 0.4f, 1f, 0f, 0.6f, 0.8f});
        assertArrayEquals(new float[] {0.5f, 0.5f}, Resample.AREA.apply(image, 1, 2).pixels(), 1e-6f);
    }

    @Test
    void areaWeighsFractionalOverlaps() {
        // 3 pixels into 2: the first output covers pixel 0 fully and half of pixel 1.
        Image image = new Image(1, 1, 3, new float[] {0f, 0.6f, 0.9f});
        float[] out = Resample.AREA.apply(image, 1, 2).pixels();
        assertEquals((0f + 0.5f * 0.6f) / 1.5f, out[0], 1e-6f);
        assertEquals((0.5f * 0.6f + 0.9f) / 1.5f, out[1], 1e-6f);
    }

    @Test
    void areaOfABoxGivesTheCoveredFraction() {
        float[] box = new float[28 * 28];
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 14; x++) {
                box[y * 28 + x] = 1f;
            }
        }
        Image small = Resample.AREA.apply(new Image(1, 28, 28, box), 7, 7);
        assertEquals(1f, small.at(0, 0, 0), 1e-6f);
        assertEquals(0.5f, small.at(0, 0, 3), 1e-6f);
        assertEquals(0.75f, small.at(0, 1, 0), 1e-6f);
        assertEquals(0f, small.at(0, 2, 0), 1e-6f);
    }

    @Test
    void areaAtAnIntegerFactorIsTheBlockMeanAndNearestUpIsItsReplication() {
        SplittableRandom random = new SplittableRandom(11);
        float[] x = PgdTest.uniform(random, 2 * 8 * 12);
        BlockMean blocks = new BlockMean(2, 8, 12, 4);
        float[] low = blocks.down(x);
        float[] sums = new float[low.length];
        for (int c = 0; c < 2; c++) {
            for (int y = 0; y < 8; y++) {
                for (int i = 0; i < 12; i++) {
                    sums[(c * 2 + y / 4) * 3 + i / 4] += x[(c * 8 + y) * 12 + i] / 16f;
                }
            }
        }
        assertArrayEquals(sums, low, 1e-6f);
        float[] up = new float[x.length];
        blocks.addUp(up, low, 1f);
        assertArrayEquals(Resample.NEAREST.apply(low, 2, 2, 3, 8, 12), up, 0f);
    }

    @Test
    void areaKeepsValuesOutsideTheUnitRange() {
        float[] gradient = {-3f, -1f, 2f, 6f};
        assertEquals(1f, Resample.AREA.apply(gradient, 1, 2, 2, 1, 1)[0], 1e-6f);
    }
}
