package dev.robustsynth.cli.command;

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
}
