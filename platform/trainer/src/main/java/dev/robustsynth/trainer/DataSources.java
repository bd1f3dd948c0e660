package dev.robustsynth.trainer;

import dev.robustsynth.trainer.data.Cifar10;
import dev.robustsynth.trainer.data.IdxReader;
import dev.robustsynth.trainer.data.LabeledImages;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Where the data sets live.
 *
 * @param fashionDir   directory of the four Fashion-MNIST IDX files
 * @param cifarArchive the CIFAR-10 JPEG archive
 * @param cifarCache   where the archive is unpacked and the decoded cache kept
 */
public record DataSources(Path fashionDir, Path cifarArchive, Path cifarCache) {

    public static final Path DEFAULT_FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    public LabeledImages load(String dataset, boolean train) throws IOException {
        return switch (dataset) {
            case "fashion" -> IdxReader.fashion(fashionDir, train);
            case "cifar10" -> Cifar10.load(cifarArchive, cifarCache, train, 0);
            default -> throw new IllegalArgumentException("unknown dataset '" + dataset + "'; known: fashion, cifar10");
        };
    }
}
