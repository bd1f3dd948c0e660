package dev.robustsynth.engine.testing;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.robustsynth.engine.runtime.OrtGradientBackend;
import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.SynthesisDefaults;
import dev.robustsynth.spi.ThreatModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A real ORT session over a {@link TinyLinearModel}'s synthesis graph, wrapped as the scheduler's backend. */
public final class TinyRuntime implements AutoCloseable {
    public final TinyLinearModel model;
    public final ModelInfo info;
    public final OrtSession session;
    public final OrtGradientBackend backend;

    public TinyRuntime(TinyLinearModel model, int capacity) throws OrtException {
        this.model = model;
        this.info = info(model, "tiny");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            this.session = env.createSession(model.synthesisModel(), options);
        }
        this.backend = new OrtGradientBackend(env, session, info, capacity);
    }

    public static ModelInfo info(TinyLinearModel model, String name) {
        List<String> classes = new ArrayList<>();
        for (int k = 0; k < model.classes; k++) {
            classes.add("class" + k);
        }
        return new ModelInfo(name, "0".repeat(64), classes, model.channels, model.height, model.width,
                List.of(new LayerInfo("features", new int[] {model.classes}, "the logits again")),
                Optional.of(new ThreatModel(Norm.L2, 0.5)), new SynthesisDefaults(2.0, 0.25, 20));
    }

    @Override
    public void close() throws OrtException {
        backend.close();
        session.close();
    }
}
