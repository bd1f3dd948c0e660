package dev.robustsynth.trainer.cli;

import dev.robustsynth.trainer.DataSources;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the data sets are read from; a mixin of every command that loads them. */
public class DataOptions {

    @Option(names = "--data", description = "Fashion-MNIST IDX directory (default ${DEFAULT-VALUE})",
            defaultValue = "/usr/share/datasets/fashion-mnist")
    Path data;

    @Option(names = "--cifar-archive", description = "CIFAR-10 JPEG archive (default ${DEFAULT-VALUE})",
            defaultValue = "../shared/datasets/cifar10/cifar10-jpeg.tar.xz")
    Path cifarArchive;

    @Option(names = "--cifar-cache", description = "where CIFAR-10 is unpacked once (default ${DEFAULT-VALUE})",
            defaultValue = "../data/cifar10")
    Path cifarCache;

    DataSources sources() {
        return new DataSources(data, cifarArchive, cifarCache);
    }
}
