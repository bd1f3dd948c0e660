package dev.robustsynth.pluginhost;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.SynthesisTask;
import dev.robustsynth.spi.TaskContext;
import dev.robustsynth.spi.TaskException;
import dev.robustsynth.spi.TaskResult;
import java.util.function.Supplier;

/**
 * One validated request bound to the factory that validated it: the factory's plan lives inside, so the task is
 * created from exactly what validation parsed. Made by {@link HostedFactory#prepare}.
 */
public final class PreparedTask {
    private final HostedFactory factory;
    private final Supplier<SynthesisTask> creator;

    PreparedTask(HostedFactory factory, Supplier<SynthesisTask> creator) {
        this.factory = requireNonNull(factory, "factory is null");
        this.creator = requireNonNull(creator, "creator is null");
    }

    /** The factory that validated the request. */
    public HostedFactory factory() {
        return factory;
    }

    /** A new task from the plan, created in the plugin's class loader. */
    public SynthesisTask create() {
        return factory.call(creator::get);
    }

    /** Creates the task and runs it to completion, both in the plugin's class loader. */
    public TaskResult run(TaskContext context) throws TaskException {
        requireNonNull(context, "context is null");
        return factory.call(() -> creator.get().run(context));
    }
}
