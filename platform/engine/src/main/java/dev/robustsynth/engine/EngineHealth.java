package dev.robustsynth.engine;

import java.util.List;
import java.util.Map;

/**
 * The engine's state, for health endpoints.
 *
 * @param up           false once closed
 * @param providerNote the execution provider and why it was chosen, e.g. {@code "cpu (auto: runtime offers [CPU])"}
 * @param ortVersion   ONNX Runtime's version
 * @param models       the served models
 * @param failedModels directory name → why the model there is not served
 */
public record EngineHealth(boolean up, String providerNote, String ortVersion, List<ModelHealth> models,
                           Map<String, String> failedModels) {
    public EngineHealth {
        models = List.copyOf(models);
        failedModels = Map.copyOf(failedModels);
    }

    /** Syntheses queued or live over all models. */
    public int queueDepth() {
        return models.stream().mapToInt(m -> m.liveJobs() + m.waitingJobs()).sum();
    }
}
