package dev.robustsynth.service.run;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.service.intake.RecordRef;
import dev.robustsynth.service.intake.TaskEnvelope;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** One accepted task from the moment it is queued until its outcome is published. */
public final class TaskHandle {
    /** Where a task is. */
    public enum State { QUEUED, RUNNING, PUBLISHING }

    private final TaskEnvelope envelope;
    private final ConsumerRecord<byte[], byte[]> record;
    private final List<Runnable> done = new ArrayList<>();
    private volatile State state = State.QUEUED;
    private volatile boolean cancelRequested;
    private volatile boolean abandoned;

    TaskHandle(TaskEnvelope envelope, ConsumerRecord<byte[], byte[]> record, Runnable done) {
        this.envelope = requireNonNull(envelope, "envelope is null");
        this.record = requireNonNull(record, "record is null");
        this.done.add(requireNonNull(done, "done is null"));
    }

    public TaskEnvelope envelope() {
        return envelope;
    }

    public ConsumerRecord<byte[], byte[]> record() {
        return record;
    }

    public RecordRef source() {
        return envelope.source();
    }

    public State state() {
        return state;
    }

    void state(State state) {
        this.state = state;
    }

    /** Asked to stop by a control message; the task sees it through its context and its model facade. */
    public boolean cancelRequested() {
        return cancelRequested;
    }

    void requestCancel() {
        cancelRequested = true;
    }

    /** Given up at shutdown: stop as soon as possible and publish nothing. */
    public boolean abandoned() {
        return abandoned;
    }

    void abandon() {
        abandoned = true;
    }

    /** Whether the task should stop stepping (cancelled or abandoned). */
    public boolean stopRequested() {
        return cancelRequested || abandoned;
    }

    /** Another delivery of the same record (after a rebalance) waits for this task's outcome too. */
    synchronized void alsoOnDone(Runnable callback) {
        done.add(requireNonNull(callback, "callback is null"));
    }

    synchronized void completed() {
        done.forEach(Runnable::run);
        done.clear();
    }
}
