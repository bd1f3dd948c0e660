package dev.robustsynth.cli;

/** A result's {@code status}. {@link #UNKNOWN} stands for a value a newer service may send. */
public enum TaskStatus {
    SUCCEEDED, FAILED, CANCELLED, UNKNOWN;

    static TaskStatus parse(String text) {
        for (TaskStatus s : values()) {
            if (s.name().equals(text)) {
                return s;
            }
        }
        return UNKNOWN;
    }
}
