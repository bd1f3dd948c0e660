package dev.robustsynth.service.run;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ProgressSink;
import dev.robustsynth.spi.TaskContext;
import dev.robustsynth.spi.TaskRequest;
import java.time.Instant;
import java.util.Optional;

/** What a running task gets from the service. */
final class HostTaskContext implements TaskContext {
    private final TaskHandle handle;
    private final ModelFacade model;
    private final ProgressSink progress;

    HostTaskContext(TaskHandle handle, ModelFacade model, ProgressSink progress) {
        this.handle = requireNonNull(handle, "handle is null");
        this.model = requireNonNull(model, "model is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    @Override
    public TaskRequest request() {
        return handle.envelope().request();
    }

    @Override
    public ModelFacade model() {
        return model;
    }

    @Override
    public ProgressSink progress() {
        return progress;
    }

    @Override
    public boolean cancelled() {
        return handle.stopRequested();
    }

    @Override
    public Optional<Instant> deadline() {
        return handle.envelope().request().deadline();
    }
}
