package dev.robustsynth.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustsynth.trainer.TestData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

    @TempDir
    Path dir;

    private void png(String cls, String name, int rgb) throws IOException {
        Files.createDirectories(dir.resolve(cls));
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        ImageIO.write(img, "png", dir.resolve(cls).resolve(name).toFile());
    }

    @Test
    void readsOneFolderPerClassInSortedOrder() throws IOException {
        png("zebra", "a.png", 0x102030);
        png("ant", "a.png", 0xff0000);
        png("ant", "b.png", 0x00ff00);
        LabeledImages li = ImageFolderReader.read(dir, 3, 4, 4, 0);
        assertEquals(List.of("ant", "zebra"), li.classes());
        assertArrayEquals(new int[] {0, 0, 1}, li.labels());
        float[] zebra = li.toFloats(2, 1);
        assertEquals(0x10 / 255f, zebra[0], 1e-6);
        assertEquals(0x20 / 255f, zebra[16], 1e-6);
        assertEquals(0x30 / 255f, zebra[32], 1e-6);
        LabeledImages small = ImageFolderReader.read(dir, 1, 2, 2, 1);
        assertEquals(2, small.count());
        assertEquals(85 / 255f, small.toFloats(0, 1)[0], 1e-6); // grey = (255+0+0)/3
    }

    @Test
    void readsCifarSliceUnpackedFromArchive() throws IOException {
        LabeledImages c = TestData.cifarTestSlice();
        assertEquals(260, c.count());
        assertEquals(Cifar10.CLASSES, c.classes());
        assertEquals(9, c.labels()[259]);
    }
}
