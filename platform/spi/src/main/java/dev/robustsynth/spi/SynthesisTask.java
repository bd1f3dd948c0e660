package dev.robustsynth.spi;

/** One request's work. Runs on a host worker thread; it may block in {@link ModelFacade#synthesize}. */
@FunctionalInterface
public interface SynthesisTask {

    /**
     * Runs the task to completion.
     *
     * @throws TaskException with a machine-readable code when the task cannot produce a result; cancellation and
     *     deadlines surface as {@link TaskException}s thrown by the model facade and should be left to propagate
     */
    TaskResult run(TaskContext context) throws TaskException;
}
