package dev.robustsynth.trainer;

import dev.robustsynth.trainer.data.Cifar10;
import dev.robustsynth.trainer.data.IdxReader;
import dev.robustsynth.trainer.data.ImageFolderReader;
import dev.robustsynth.trainer.data.LabeledImages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Real data for tests: Fashion-MNIST from the Debian package, a slice of CIFAR-10 unpacked from the archive. */
public final class TestData {

    public static final Path FASHION = DataSources.DEFAULT_FASHION;
    /** The archive relative to the module directory (repo root is ../..). */
    public static final Path CIFAR_ARCHIVE = Path.of("../../../shared/datasets/cifar10/cifar10-jpeg.tar.xz");

    private static LabeledImages fashionTrain;
    private static LabeledImages fashionTest;
    private static LabeledImages cifarTest;

    private TestData() {
    }

    public static synchronized LabeledImages fashionTrain() {
        Assumptions.assumeTrue(Files.isDirectory(FASHION), "Debian dataset-fashion-mnist not installed");
        if (fashionTrain == null) {
            fashionTrain = read(true);
        }
        return fashionTrain;
    }

    public static synchronized LabeledImages fashionTest() {
        Assumptions.assumeTrue(Files.isDirectory(FASHION), "Debian dataset-fashion-mnist not installed");
        if (fashionTest == null) {
            fashionTest = read(false);
        }
        return fashionTest;
    }

    private static LabeledImages read(boolean train) {
        try {
            return IdxReader.fashion(FASHION, train);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first 26 test images of each CIFAR-10 class (260), unpacked once into target/. */
    public static synchronized LabeledImages cifarTestSlice() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(CIFAR_ARCHIVE), "CIFAR-10 archive not at " + CIFAR_ARCHIVE);
        if (cifarTest == null) {
            Path dir = Path.of("target/cifar10-test-slice");
            if (!Files.isDirectory(dir.resolve("test/truck"))) {
                Cifar10.unpack(CIFAR_ARCHIVE, dir, "test");
            }
            cifarTest = ImageFolderReader.read(dir.resolve("test"), Cifar10.CLASSES, 3, 32, 32, 26);
        }
        return cifarTest;
    }
}
