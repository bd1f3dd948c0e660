package dev.robustsynth.spi;

import java.time.Instant;
import java.util.Optional;

/**
 * What the host gives one running task. Valid only while {@link SynthesisTask#run} runs. The request's images are
 * in the task's plan (see {@link TaskFactory#validate}), not here.
 */
public interface TaskContext {

    TaskRequest request();

    default Parameters params() {
        return request().params();
    }

    default long seed() {
        return request().seed();
    }

    /** The model the request named, already loaded; its syntheses are batched with other tasks'. */
    ModelFacade model();

    /** Where task-level progress goes; the model facade already reports the steps of each synthesis. */
    ProgressSink progress();

    /** Whether the client cancelled the task; the model facade also checks this every step. */
    boolean cancelled();

    Optional<Instant> deadline();
}
