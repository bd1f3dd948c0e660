package dev.robustsynth.cli;

import static java.util.Objects.requireNonNull;

/** The topics a client talks to; {@link #defaults()} are the contract's names. */
public record RsynthTopics(String tasks, String results, String progress, String control, String jobs,
                           String jobStatus) {

    public RsynthTopics {
        requireNonNull(tasks, "tasks is null");
        requireNonNull(results, "results is null");
        requireNonNull(progress, "progress is null");
        requireNonNull(control, "control is null");
        requireNonNull(jobs, "jobs is null");
        requireNonNull(jobStatus, "jobStatus is null");
    }

    /** The task topics as given, the bulk-job topics by the contract's names. */
    public RsynthTopics(String tasks, String results, String progress, String control) {
        this(tasks, results, progress, control, WireContract.JOBS_TOPIC, WireContract.JOB_STATUS_TOPIC);
    }

    public static RsynthTopics defaults() {
        return new RsynthTopics(WireContract.TASKS_TOPIC, WireContract.RESULTS_TOPIC,
                WireContract.PROGRESS_TOPIC, WireContract.CONTROL_TOPIC);
    }
}
