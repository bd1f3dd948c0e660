package dev.robustsynth.trainer.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.trainer.TestData;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    private static void writeIdx(Path file, int[] dims, byte[] data) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(file)))) {
            out.writeInt(0x0800 | dims.length);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }

    @Test
    void parsesGzippedImagesAndLabels() throws IOException {
        byte[] pixels = new byte[3 * 2 * 2];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 20);
        }
        writeIdx(dir.resolve("img.gz"), new int[] {3, 2, 2}, pixels);
        writeIdx(dir.resolve("lab.gz"), new int[] {3}, new byte[] {2, 0, 1});
        LabeledImages li = IdxReader.readImages(dir.resolve("img.gz"), dir.resolve("lab.gz"), List.of("a", "b", "c"));
        assertEquals(3, li.count());
        assertEquals(1, li.channels());
        assertEquals(2, li.height());
        assertArrayEquals(new int[] {2, 0, 1}, li.labels());
        assertEquals(220 / 255f, li.toFloats(2, 1)[3], 1e-7);
    }

    @Test
    void rejectsLabelOutsideClassesAndBadMagic() throws IOException {
        writeIdx(dir.resolve("img.gz"), new int[] {1, 1, 1}, new byte[] {0});
        writeIdx(dir.resolve("lab.gz"), new int[] {1}, new byte[] {5});
        assertThrows(IOException.class,
                () -> IdxReader.readImages(dir.resolve("img.gz"), dir.resolve("lab.gz"), List.of("a")));
        Files.write(dir.resolve("bad"), new byte[] {1, 2, 3, 4, 0, 0, 0, 0});
        assertThrows(IOException.class, () -> IdxReader.read(dir.resolve("bad")));
    }

    @Test
    void readsFashionMnistFromDebianPackage() {
        LabeledImages test = TestData.fashionTest();
        assertEquals(10_000, test.count());
        assertEquals(28, test.height());
        int[] perClass = new int[10];
        for (int l : test.labels()) {
            perClass[l]++;
        }
        for (int c : perClass) {
            assertEquals(1000, c);
        }
        assertTrue(TestData.fashionTrain().count() == 60_000);
    }
}
