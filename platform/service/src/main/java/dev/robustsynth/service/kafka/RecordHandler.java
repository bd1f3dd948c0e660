package dev.robustsynth.service.kafka;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** What the {@link TaskConsumer} does with each record of the tasks topic. */
public interface RecordHandler {

    /**
     * Starts handling a record and returns at once (the check and the task run elsewhere). {@code done} must be
     * called at most once, from any thread, with the records of the record's outcome (its result, and its dead
     * letter where one is due; none for a record whose outcome is committed already); the consumer sends them in a
     * transaction with the record's offset. Never throws.
     *
     * @param attempt how many times this record has started being handled, this time included (persisted, so it
     *                counts the times the service died while handling it)
     */
    void handle(ConsumerRecord<byte[], byte[]> record, int attempt, Consumer<List<ProducerRecord<byte[], byte[]>>> done);

    /** Stop starting tasks: tasks waiting for a worker are dropped (their records stay uncommitted). */
    void stopAccepting();

    /** Whether no record is being checked or run. */
    boolean idle();

    /**
     * Give up on the records of these partitions (revoked, or shutdown grace over): cancel their tasks, which publish
     * nothing; the next owner of the partition runs them.
     */
    void abandon(Collection<TopicPartition> partitions);
}
