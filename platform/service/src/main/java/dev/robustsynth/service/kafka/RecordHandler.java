package dev.robustsynth.service.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** What the {@link TaskConsumer} does with each record of the tasks topic. */
public interface RecordHandler {

    /**
     * Starts handling a record and returns at once (the check and the task run elsewhere). {@code done} must be
     * called exactly once, from any thread, after the record's outcome (result, and dead letter where one is due) is
     * published; until then its offset is not committed. Never throws.
     *
     * @param attempt how many times this record has started being handled, this time included (persisted, so it
     *                counts the times the service died while handling it)
     */
    void handle(ConsumerRecord<byte[], byte[]> record, int attempt, Runnable done);

    /** Stop starting tasks: tasks waiting for a worker are dropped (their records stay uncommitted). */
    void stopAccepting();

    /** Whether no task is running and no outcome is being published. */
    boolean idle();

    /** Give up on tasks still running: cancel them and publish nothing for them (they will be redelivered). */
    void abandon();
}
