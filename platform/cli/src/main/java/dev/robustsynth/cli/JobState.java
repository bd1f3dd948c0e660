package dev.robustsynth.cli;

/** A bulk job's {@code state} (job-status.v1). {@link #UNKNOWN} stands for a value a newer service may send. */
public enum JobState {
    ACCEPTED, RUNNING, SUCCEEDED, COMPLETED, CANCELLING, CANCELLED, FAILED, UNKNOWN;

    /** SUCCEEDED (every item succeeded), COMPLETED (every item has an outcome, some failed), CANCELLED, FAILED (refused). */
    public boolean terminal() {
        return this == SUCCEEDED || this == COMPLETED || this == CANCELLED || this == FAILED;
    }

    static JobState parse(String text) {
        for (JobState s : values()) {
            if (s.name().equals(text)) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
