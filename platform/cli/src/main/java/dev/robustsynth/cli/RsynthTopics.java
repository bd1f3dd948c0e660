package dev.robustsynth.cli;

import static java.util.Objects.requireNonNull;

/** The four topics a client talks to; {@link #defaults()} are the contract's names. */
public record RsynthTopics(String tasks, String results, String progress, String control) {

    public RsynthTopics {
        requireNonNull(tasks, "tasks is null");
        requireNonNull(results, "results is null");
        requireNonNull(progress, "progress is null");
        requireNonNull(control, "control is null");
    }

    public static RsynthTopics defaults() {
        return new RsynthTopics(WireContract.TASKS_TOPIC, WireContract.RESULTS_TOPIC,
                WireContract.PROGRESS_TOPIC, WireContract.CONTROL_TOPIC);
    }
}
