package dev.robustsynth.cli;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What the follower thread has seen for one task id, in arrival order: progress events, then the
 * result (or the follower's failure). The thread that awaits the task drains it, so progress
 * callbacks run on the caller's thread.
 */
final class TaskWatch {
    /** Put in every watch when the follower stops on an error. */
    record Failure(Throwable cause) {
    }

    private final LinkedBlockingQueue<Object> events = new LinkedBlockingQueue<>();

    void offer(Object event) {
        events.add(event);
    }

    /** The next event, or null when none arrived within {@code wait}. */
    Object next(Duration wait) throws InterruptedException {
        long nanos = Math.max(0L, wait.toNanos());
        return events.poll(nanos, TimeUnit.NANOSECONDS);
    }
}
