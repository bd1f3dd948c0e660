package dev.robustsynth.pluginhost;

import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.Progress;
import dev.robustsynth.spi.ProgressSink;
import dev.robustsynth.spi.TaskContext;
import dev.robustsynth.spi.TaskRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A task context without a model, for running plugin tasks in the host's tests. */
final class FakeTaskContext implements TaskContext {
    final List<Progress> progress = new CopyOnWriteArrayList<>();
    private final TaskRequest request;

    FakeTaskContext(TaskRequest request) {
        this.request = request;
    }

    @Override
    public TaskRequest request() {
        return request;
    }

    @Override
    public ModelFacade model() {
        throw new UnsupportedOperationException("no model in the plugin host's tests");
    }

    @Override
    public ProgressSink progress() {
        return progress::add;
    }

    @Override
    public boolean cancelled() {
        return false;
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.empty();
    }
}
