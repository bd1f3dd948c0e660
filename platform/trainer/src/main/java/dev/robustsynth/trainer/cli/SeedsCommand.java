package dev.robustsynth.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.trainer.Preset;
import dev.robustsynth.trainer.Presets;
import dev.robustsynth.trainer.data.ImageFolderReader;
import dev.robustsynth.trainer.data.LabeledImages;
import dev.robustsynth.trainer.export.SeedMixture;
import dev.robustsynth.trainer.export.SeedStatistics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code seeds}: seed statistics ({@code seeds.bin}) and per-class seed mixtures ({@code seeds-mixture.bin}) from
 * either an image folder with one sub-folder per class (class order = sorted folder names; it must match the
 * model's classes) or a preset's training set. With {@code --out} the files are written next to each other and
 * the card blocks printed; with {@code --model-dir} the files named by that directory's {@code model.json} are
 * rewritten and only its {@code seeds} and {@code seedMixture} blocks are replaced.
 */
@Command(name = "seeds", mixinStandardHelpOptions = true,
        description = "Compute class-conditional seed statistics (seeds.bin) and seed mixtures (seeds-mixture.bin) "
                + "from an image folder or a preset's training set.")
public final class SeedsCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    CommandSpec spec;

    static final class Source {
        @Option(names = "--images", required = true, description = "folder with one sub-folder of images per class")
        Path images;

        @Option(names = "--preset", required = true, description = "use this preset's training set and seed size")
        String preset;
    }

    static final class Target {
        @Option(names = "--out", required = true,
                description = "seeds.bin to write; the mixture goes to " + SeedMixture.FILE + " beside it")
        Path out;

        @Option(names = "--model-dir", required = true,
                description = "model directory whose seed files and model.json seeds/seedMixture blocks to rewrite")
        Path modelDir;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = "--channels", defaultValue = "3", description = "with --images: 1 or 3 (default ${DEFAULT-VALUE})")
    int channels;

    @Option(names = "--load-size", defaultValue = "32",
            description = "with --images: images are resized to this square size first (default ${DEFAULT-VALUE})")
    int loadSize;

    @Option(names = "--size", description = "reduced resolution side (default: the preset's, 16 for --images)")
    Integer size;

    @Option(names = "--ridge", defaultValue = "1e-4", description = "covariance ridge (default ${DEFAULT-VALUE})")
    double ridge;

    @Option(names = "--per-class", defaultValue = "0", description = "with --images: at most this many images per "
            + "class (0 = all)")
    int perClass;

    @Option(names = "--components", defaultValue = "" + SeedMixture.DEFAULT_COMPONENTS,
            description = "mixture components per class (default ${DEFAULT-VALUE})")
    int components;

    @Option(names = "--mixture-seed", defaultValue = "" + SeedMixture.DEFAULT_SEED,
            description = "seed of the k-means++ start (default ${DEFAULT-VALUE})")
    long mixtureSeed;

    @Mixin
    DataOptions dataOptions;

    @Override
    public Integer call() throws Exception {
        if (components < 1) {
            throw new ParameterException(spec.commandLine(), "--components must be at least 1, got " + components);
        }
        ObjectNode card = target.modelDir == null ? null : readCard(target.modelDir.resolve("model.json"));
        LabeledImages images;
        int side;
        if (source.preset != null) {
            Preset p = Presets.get(source.preset);
            images = dataOptions.sources().load(p.dataset(), true);
            side = size != null ? size : p.seedSize();
        } else {
            images = ImageFolderReader.read(source.images, channels, loadSize, loadSize, perClass);
            side = size != null ? size : 16;
        }
        if (card != null) {
            checkMatches(card, images);
        }
        long t0 = System.nanoTime();
        float[][] reduced = SeedStatistics.reduce(images, side, side);
        SeedStatistics seeds = SeedStatistics.compute(images, reduced, side, side, ridge);
        SeedMixture mixture = SeedMixture.fit(images, reduced, side, side, components, mixtureSeed);
        System.err.printf(Locale.ROOT, "%d images, %d classes %s at %dx%d, %d components (%.0f s)%n", images.count(),
                images.classes().size(), images.classes(), side, side, components, (System.nanoTime() - t0) / 1e9);
        if (card == null) {
            Path mixtureFile = target.out.resolveSibling(SeedMixture.FILE);
            seeds.write(target.out);
            mixture.write(mixtureFile);
            System.err.printf("wrote %s and %s%n", target.out, mixtureFile);
            System.out.println("\"seeds\": " + seeds.cardBlock(target.out.getFileName().toString()));
            System.out.println("\"seedMixture\": " + mixture.cardBlock(mixtureFile.getFileName().toString()));
        } else {
            String seedsName = fileName(card, "seeds", SeedStatistics.FILE);
            String mixtureName = fileName(card, "seedMixture", SeedMixture.FILE);
            seeds.write(target.modelDir.resolve(seedsName));
            mixture.write(target.modelDir.resolve(mixtureName));
            ObjectNode patched = SeedMixture.withSeedBlocks(card, seeds.cardBlock(seedsName),
                    mixture.cardBlock(mixtureName));
            JSON.writeValue(target.modelDir.resolve("model.json").toFile(), patched);
            System.err.printf("wrote %s, %s and the seeds/seedMixture blocks of %s%n", seedsName, mixtureName,
                    target.modelDir.resolve("model.json"));
        }
        return 0;
    }

    private ObjectNode readCard(Path file) {
        try {
            if (JSON.readTree(Files.readAllBytes(file)) instanceof ObjectNode card) {
                return card;
            }
        } catch (Exception e) {
            throw new ParameterException(spec.commandLine(), file + ": not a readable model card: " + e.getMessage());
        }
        throw new ParameterException(spec.commandLine(), file + ": not a JSON object");
    }

    /** The card's classes and input channels must be the data's. */
    private void checkMatches(ObjectNode card, LabeledImages images) {
        List<String> classes = new ArrayList<>();
        card.path("classes").forEach(c -> classes.add(c.asText()));
        if (classes.size() != images.classes().size()) {
            throw new ParameterException(spec.commandLine(), "the model card lists " + classes.size()
                    + " classes; the data has " + images.classes().size() + " " + images.classes());
        }
        if (!classes.equals(images.classes())) {
            System.err.println("warning: the model card's classes " + classes + " are not named like the data's "
                    + images.classes() + "; they are matched by position");
        }
        int cardChannels = card.path("input").path("channels").asInt(-1);
        if (cardChannels != images.channels()) {
            throw new ParameterException(spec.commandLine(), "the model takes " + cardChannels
                    + " channels; the data has " + images.channels());
        }
    }

    private static String fileName(ObjectNode card, String block, String fallback) {
        JsonNode file = card.path(block).path("file");
        return file.isTextual() && !file.asText().isBlank() ? file.asText() : fallback;
    }
}
