package dev.robustsynth.trainer.cli;

import ai.djl.ndarray.NDManager;
import dev.robustsynth.trainer.EngineSetup;
import dev.robustsynth.trainer.Preset;
import dev.robustsynth.trainer.data.LabeledImages;
import dev.robustsynth.trainer.export.Metrics;
import dev.robustsynth.trainer.model.Network;
import dev.robustsynth.trainer.train.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code export --preset X --out models/X}: writes model.onnx, seeds.bin, seeds-mixture.bin and model.json from a
 * checkpoint, evaluating first unless the checkpoint directory already holds metrics.json.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a checkpoint to a model directory (ONNX, model card, seed statistics).")
public final class ExportCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--out", required = true, description = "model directory to write")
    Path out;

    @Option(names = "--checkpoint", description = "checkpoint file (default <checkpoints>/last.ckpt)")
    Path checkpoint;

    @Option(names = "--reevaluate", description = "evaluate even if metrics.json exists")
    boolean reevaluate;

    @Override
    public Integer call() throws Exception {
        Preset p = common.resolvePreset();
        EngineSetup.init(common.threads);
        LabeledImages train = common.dataSources().load(p.dataset(), true);
        LabeledImages test = common.dataSources().load(p.dataset(), false);
        Path ckptDir = common.checkpointDir(p);
        Path file = checkpoint != null ? checkpoint : ckptDir.resolve("last.ckpt");
        try (NDManager manager = NDManager.newBaseManager()) {
            Network net = Models.create(p, manager);
            Checkpoint.State s = Checkpoint.load(file, net, null, manager);
            if (s.epochsDone() < p.train().epochs()) {
                System.out.printf("warning: checkpoint %s holds %d of %d epochs%n", file, s.epochsDone(),
                        p.train().epochs());
            }
            Path metricsFile = ckptDir.resolve("metrics.json");
            Metrics m;
            if (!reevaluate && Files.isRegularFile(metricsFile)) {
                m = Finisher.readMetrics(metricsFile);
                System.out.println("metrics from " + metricsFile);
            } else {
                m = Finisher.evaluate(p, net, manager, test, p.robustImages(), p.evalSteps(), System.out);
                Finisher.writeMetrics(metricsFile, m);
            }
            Finisher.export(p, net, manager, train, test, m, s.trainingSeconds(), out, System.out);
        }
        return 0;
    }
}
