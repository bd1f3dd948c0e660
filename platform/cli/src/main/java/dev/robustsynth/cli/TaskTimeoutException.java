package dev.robustsynth.cli;

import java.time.Duration;

/** No result for a task arrived within the time the caller was willing to wait. */
public class TaskTimeoutException extends RsynthClientException {
    private final String taskId;
    private final Duration timeout;

    public TaskTimeoutException(String taskId, Duration timeout) {
        super("no result for task '" + taskId + "' within " + RsynthClientConfig.human(timeout));
        this.taskId = taskId;
        this.timeout = timeout;
    }

    public String taskId() {
        return taskId;
    }

    public Duration timeout() {
        return timeout;
    }
}
