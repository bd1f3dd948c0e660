package dev.robustsynth.trainer.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.robustsynth.trainer.Preset;
import dev.robustsynth.trainer.model.ArchitectureSpec;
import dev.robustsynth.trainer.model.Network;

/** Builds a preset's network with its seed. */
final class Models {

    private Models() {
    }

    static ArchitectureSpec spec(Preset p, int channels, int height, int width, int classes) {
        return ArchitectureSpec.of(p.train().family(), p.train().width(), channels, height, width, classes, p.mean(),
                p.std());
    }

    static Network create(Preset p, NDManager manager) {
        Engine.getInstance().setRandomSeed(p.train().seed());
        boolean cifar = p.dataset().equals("cifar10");
        ArchitectureSpec spec = cifar ? spec(p, 3, 32, 32, 10) : spec(p, 1, 28, 28, 10);
        return Network.create(spec, manager);
    }
}
