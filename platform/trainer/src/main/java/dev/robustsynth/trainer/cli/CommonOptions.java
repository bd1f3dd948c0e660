package dev.robustsynth.trainer.cli;

import dev.robustsynth.trainer.DataSources;
import dev.robustsynth.trainer.Preset;
import dev.robustsynth.trainer.Presets;
import dev.robustsynth.trainer.train.TrainConfig;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options shared by train, evaluate and export: preset, overrides, data and checkpoint locations. */
public class CommonOptions {

    @Option(names = "--preset", required = true, description = "model recipe: cifar10-robust-l2, cifar10-standard, "
            + "fashion-robust-l2, fashion-standard")
    String preset;

    @Option(names = "--name", description = "model name (default: the preset's)")
    String name;

    @Mixin
    DataOptions dataOptions;

    @Option(names = "--checkpoints", description = "checkpoint directory (default ../data/checkpoints/<name>)")
    Path checkpoints;

    @Option(names = "--epochs", description = "override the preset's epochs")
    Integer epochs;

    @Option(names = "--width", description = "override the preset's base width")
    Integer width;

    @Option(names = "--batch-size", description = "override the preset's batch size")
    Integer batchSize;

    @Option(names = "--max-batches", description = "cap batches per epoch (smoke runs)")
    Integer maxBatches;

    @Option(names = "--robust-images", description = "test images for the robust numbers (default: preset's, 1000)")
    Integer robustImages;

    @Option(names = "--eps", description = "override the training attack's radius (step scaled with it); "
            + "robust presets only")
    Float eps;

    @Option(names = "--threads", description = "intra-op threads (default ${DEFAULT-VALUE})", defaultValue = "2")
    int threads;

    Preset resolvePreset() {
        Preset p = Presets.get(preset);
        TrainConfig t = p.train();
        if (epochs != null) {
            t = t.withEpochs(epochs);
        }
        if (width != null) {
            t = t.withWidth(width);
        }
        if (batchSize != null) {
            t = t.withBatchSize(batchSize);
        }
        if (eps != null) {
            if (t.attack() == null) {
                throw new IllegalArgumentException(
                        "--eps needs a robust preset; '" + preset + "' trains without attack");
            }
            t = t.withAttack(t.attack().withEps(eps));
        }
        if (maxBatches != null) {
            t = t.withMaxBatchesPerEpoch(maxBatches);
        }
        p = p.withTrain(t);
        if (robustImages != null) {
            p = p.withRobustImages(robustImages);
        }
        return name == null ? p : p.withName(name);
    }

    DataSources dataSources() {
        return dataOptions.sources();
    }

    Path checkpointDir(Preset p) {
        return checkpoints != null ? checkpoints : Path.of("../data/checkpoints").resolve(p.name());
    }
}
