package dev.robustsynth.trainer.cli;

import ai.djl.ndarray.NDManager;
import dev.robustsynth.trainer.EngineSetup;
import dev.robustsynth.trainer.Preset;
import dev.robustsynth.trainer.data.LabeledImages;
import dev.robustsynth.trainer.export.Metrics;
import dev.robustsynth.trainer.model.Network;
import dev.robustsynth.trainer.train.Checkpoint;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code evaluate --preset X}: clean and PGD-robust accuracy of a checkpoint; writes metrics.json. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Clean accuracy on the test set and robust accuracy under PGD at the preset's radii.")
public final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--checkpoint", description = "checkpoint file (default <checkpoints>/last.ckpt)")
    Path checkpoint;

    @Option(names = "--steps", description = "PGD steps (default: preset's)")
    Integer steps;

    @Override
    public Integer call() throws Exception {
        Preset p = common.resolvePreset();
        EngineSetup.init(common.threads);
        LabeledImages test = common.dataSources().load(p.dataset(), false);
        Path ckptDir = common.checkpointDir(p);
        Path file = checkpoint != null ? checkpoint : ckptDir.resolve("last.ckpt");
        try (NDManager manager = NDManager.newBaseManager()) {
            Network net = Models.create(p, manager);
            Checkpoint.State s = Checkpoint.load(file, net, null, manager);
            System.out.printf("%s: checkpoint %s after %d epochs%n", p.name(), file, s.epochsDone());
            Metrics m = Finisher.evaluate(p, net, manager, test, p.robustImages(),
                    steps != null ? steps : p.evalSteps(), System.out);
            Finisher.writeMetrics(ckptDir.resolve("metrics.json"), m);
        }
        return 0;
    }
}
