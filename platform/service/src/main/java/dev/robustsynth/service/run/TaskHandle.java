package dev.robustsynth.service.run;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.service.intake.RecordRef;
import dev.robustsynth.service.intake.TaskEnvelope;
import dev.robustsynth.service.kafka.RecordOutcome;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** One accepted task from the moment it is queued until its outcome is handed to the committer. */
public final class TaskHandle {
    /** Where a task is. */
    public enum State { QUEUED, RUNNING, PUBLISHING }

    private final TaskEnvelope envelope;
    private final ConsumerRecord<byte[], byte[]> record;
    private final Consumer<RecordOutcome> done;
    private volatile State state = State.QUEUED;
    private volatile boolean cancelRequested;
    private volatile boolean abandoned;
    private volatile boolean givenUp;

    TaskHandle(TaskEnvelope envelope, ConsumerRecord<byte[], byte[]> record,
               Consumer<RecordOutcome> done) {
        this.envelope = requireNonNull(envelope, "envelope is null");
        this.record = requireNonNull(record, "record is null");
        this.done = requireNonNull(done, "done is null");
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

    /**
     * Given up by the watchdog: past {@code rsynth.task-timeout}, or deaf to a stop for {@code rsynth.task-stop-grace}.
     * Its outcome is PLUGIN_TIMEOUT; whatever its plugin thread still does is discarded.
     */
    public boolean givenUp() {
        return givenUp;
    }

    void giveUp() {
        givenUp = true;
    }

    /** Whether the task should stop stepping (cancelled, abandoned or given up). */
    public boolean stopRequested() {
        return cancelRequested || abandoned || givenUp;
    }

    /** A later record with this task's id, from the same partition: it gets this task's outcome. */
    record Follower(ConsumerRecord<byte[], byte[]> record, Consumer<RecordOutcome> done) {
    }

    private final List<Follower> followers = new java.util.ArrayList<>();

    void follow(Follower follower) {
        followers.add(requireNonNull(follower, "follower is null"));
    }

    List<Follower> followers() {
        return List.copyOf(followers);
    }

    /** Hands the record's outcome to the committer, which commits it with the record's offset. */
    void completed(RecordOutcome outcome) {
        done.accept(outcome);
    }
}
