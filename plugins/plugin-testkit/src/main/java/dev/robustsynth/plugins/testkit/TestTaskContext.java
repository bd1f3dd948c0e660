package dev.robustsynth.plugins.testkit;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.Parameters;
import dev.robustsynth.spi.Progress;
import dev.robustsynth.spi.ProgressSink;
import dev.robustsynth.spi.TaskContext;
import dev.robustsynth.spi.TaskRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A task context as the host would build it for one request: the request, the model and a progress sink that
 * records every event.
 */
public final class TestTaskContext implements TaskContext {
    private final TaskRequest request;
    private final ModelFacade model;
    private final List<Progress> events = Collections.synchronizedList(new ArrayList<>());

    public TestTaskContext(TaskRequest request, ModelFacade model) {
        this.request = requireNonNull(request, "request is null");
        this.model = requireNonNull(model, "model is null");
        if (model instanceof LinearSoftmaxModel linear) {
            linear.reportTo(events::add);
        }
    }

    /** A request of {@code type} with {@code params} and {@code seed} for {@code model}, no deadline. */
    public static TaskRequest request(String type, ModelFacade model, Map<String, ?> params, long seed) {
        return new TaskRequest("test-" + type + "-" + seed, type, model.info().name(), new Parameters(params), seed,
                Optional.empty());
    }

    @Override
    public TaskRequest request() {
        return request;
    }

    @Override
    public ModelFacade model() {
        return model;
    }

    @Override
    public ProgressSink progress() {
        return events::add;
    }

    /** Every progress event so far, from the task and from the model's syntheses. */
    public List<Progress> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    @Override
    public boolean cancelled() {
        return false;
    }

    @Override
    public Optional<Instant> deadline() {
        return request.deadline();
    }
}
