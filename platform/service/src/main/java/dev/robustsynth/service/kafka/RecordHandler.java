package dev.robustsynth.service.kafka;

import java.util.Collection;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** What the Kafka edge does with each record of the tasks topic. */
public interface RecordHandler {

    /**
     * Starts handling a record and returns at once (the check and the task run elsewhere). {@code done} is called
     * exactly once, from any thread, with the record's {@link RecordOutcome} — unless the record's partition is
     * {@linkplain #abandon abandoned} first. Never throws.
     *
     * @param attempt how many times this record has started being handled, this time included (persisted, so it
     *                counts the times the service died while handling it)
     */
    void handle(ConsumerRecord<byte[], byte[]> record, int attempt, Consumer<RecordOutcome> done);

    /** Stop starting tasks: records not yet running are {@linkplain RecordOutcome.GiveUp given up}. */
    void stopAccepting();

    /**
     * Give up on the records of these partitions (revoked, or shutdown grace over): cancel their tasks, which call
     * back nothing; the next owner of the partition runs them.
     */
    void abandon(Collection<TopicPartition> partitions);
}
