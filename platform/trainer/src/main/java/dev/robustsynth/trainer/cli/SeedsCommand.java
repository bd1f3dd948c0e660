package dev.robustsynth.trainer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsynth.trainer.data.ImageFolderReader;
import dev.robustsynth.trainer.data.LabeledImages;
import dev.robustsynth.trainer.export.SeedStatistics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seeds --images <folder> --out seeds.bin}: seed statistics for any model from an image folder with
 * one sub-folder per class (class order = sorted folder names; it must match the model's classes).
 */
@Command(name = "seeds", mixinStandardHelpOptions = true,
        description = "Compute class-conditional seed statistics (seeds.bin) from an image folder.")
public final class SeedsCommand implements Callable<Integer> {

    @Option(names = "--images", required = true, description = "folder with one sub-folder of images per class")
    Path images;

    @Option(names = "--out", required = true, description = "seeds.bin to write")
    Path out;

    @Option(names = "--channels", defaultValue = "3", description = "1 or 3 (default ${DEFAULT-VALUE})")
    int channels;

    @Option(names = "--load-size", defaultValue = "32",
            description = "images are resized to this square size first (default ${DEFAULT-VALUE})")
    int loadSize;

    @Option(names = "--size", defaultValue = "16", description = "reduced resolution side (default ${DEFAULT-VALUE})")
    int size;

    @Option(names = "--ridge", defaultValue = "1e-4", description = "covariance ridge (default ${DEFAULT-VALUE})")
    double ridge;

    @Option(names = "--per-class", defaultValue = "0", description = "at most this many images per class (0 = all)")
    int perClass;

    @Override
    public Integer call() throws Exception {
        LabeledImages data = ImageFolderReader.read(images, channels, loadSize, loadSize, perClass);
        SeedStatistics s = SeedStatistics.compute(data, size, size, ridge);
        s.write(out);
        var block = new ObjectMapper().createObjectNode().put("file", out.getFileName().toString())
                .put("channels", channels).put("height", size).put("width", size).put("kind", SeedStatistics.KIND)
                .put("ridge", ridge);
        System.err.printf("%d images, %d classes %s -> %s%n", data.count(), data.classes().size(), data.classes(), out);
        System.out.println("\"seeds\": " + block);
        return 0;
    }
}
