package dev.robustsynth.trainer;

import ai.djl.engine.Engine;

/** Configures DJL's PyTorch engine once: offline, CPU thread counts. Call before the first NDManager. */
public final class EngineSetup {

    private EngineSetup() {
    }

    public static Engine init(int threads) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.default_engine", "PyTorch");
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        return Engine.getEngine("PyTorch");
    }
}
