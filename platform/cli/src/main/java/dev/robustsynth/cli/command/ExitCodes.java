package dev.robustsynth.cli.command;

import dev.robustsynth.cli.JobState;
import dev.robustsynth.cli.TaskStatus;

/** What {@code rsynth} returns to the shell. */
public final class ExitCodes {
    public static final int SUCCEEDED = 0;
    /** The service answered FAILED (the error code and message are on stderr). */
    public static final int FAILED = 1;
    /** Bad command-line usage (picocli's own code). */
    public static final int USAGE = 2;
    /** The service answered CANCELLED. */
    public static final int CANCELLED = 3;
    /** No result within --timeout. */
    public static final int TIMEOUT = 4;
    /** Kafka unreachable, a file unreadable or unwritable, or another local error. */
    public static final int ERROR = 5;
    /** A bulk job COMPLETED: every item has an outcome, but some failed or were cancelled. */
    public static final int COMPLETED_WITH_FAILURES = 6;
    /** No status for that job id on the job status topic (unknown id, or the service has not seen it). */
    public static final int NO_STATUS = 7;
    /** {@code job fetch}: some items have no result (yet) on the results topic; they are listed on stderr. */
    public static final int INCOMPLETE = 8;
    /** Interrupted (Ctrl-C); a cancel was sent for the running task. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }

    public static int of(TaskStatus status) {
        return switch (status) {
            case SUCCEEDED -> SUCCEEDED;
            case CANCELLED -> CANCELLED;
            case FAILED, UNKNOWN -> FAILED;
        };
    }

    /** A terminal job state's code: SUCCEEDED 0, FAILED (refused) 1, CANCELLED 3, COMPLETED 6. */
    public static int of(JobState state) {
        return switch (state) {
            case SUCCEEDED -> SUCCEEDED;
            case COMPLETED -> COMPLETED_WITH_FAILURES;
            case CANCELLED -> CANCELLED;
            case FAILED, UNKNOWN -> FAILED;
            case ACCEPTED, RUNNING, CANCELLING -> TIMEOUT;
        };
    }
}
