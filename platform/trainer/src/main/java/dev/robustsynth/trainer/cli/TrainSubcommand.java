package dev.robustsynth.trainer.cli;

import ai.djl.ndarray.NDManager;
import dev.robustsynth.trainer.EngineSetup;
import dev.robustsynth.trainer.Preset;
import dev.robustsynth.trainer.data.LabeledImages;
import dev.robustsynth.trainer.model.Network;
import dev.robustsynth.trainer.train.Trainer;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train --preset X --out models/X}: trains (resuming by default), then evaluates and exports. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a preset, then evaluate and export it.")
public final class TrainSubcommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Option(names = "--out", description = "model directory to write (model.onnx, model.json, seeds.bin); "
            + "omit to only train")
    Path out;

    @Option(names = "--resume", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "continue from the checkpoint directory's last.ckpt (default ${DEFAULT-VALUE})")
    boolean resume;

    @Override
    public Integer call() throws Exception {
        Preset p = common.resolvePreset();
        EngineSetup.init(common.threads);
        LabeledImages train = common.dataSources().load(p.dataset(), true);
        LabeledImages test = common.dataSources().load(p.dataset(), false);
        System.out.printf("%s: %d training images, %d test images, %s%n", p.name(), train.count(), test.count(),
                p.train());
        try (NDManager manager = NDManager.newBaseManager()) {
            Network net = Models.create(p, manager);
            System.out.printf("%s: %d parameters%n", net.spec().description(), net.parameterCount());
            Path ckptDir = common.checkpointDir(p);
            Trainer.Result r = new Trainer(p.train(), ckptDir, System.out).train(net, manager, train, test.spread(2000),
                    resume);
            System.out.printf("trained %d epochs in %.0f s%n", r.epochs(), r.trainingSeconds());
            if (out != null) {
                Finisher.finish(p, net, manager, train, test, ckptDir, out, r.trainingSeconds(), System.out);
            }
        }
        return 0;
    }
}
