package dev.robustsynth.service.kafka;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/** What became of one task record, handed back to the {@link OutcomeCommitter} exactly once. */
public sealed interface RecordOutcome {

    /**
     * The records of its outcome (its result, and its dead letter where one is due; none for a record answered
     * already), committed in one transaction with the record's offset.
     *
     * @param bulk the outcome of a bulk job's item: its commit may wait up to {@code rsynth.jobs.commit-linger} so
     *             that several share one transaction; any other outcome is committed at once
     */
    record Publish(List<ProducerRecord<byte[], byte[]>> records, boolean bulk) implements RecordOutcome {
        public Publish {
            records = List.copyOf(records);
        }

        /** An outcome committed at once. */
        public Publish(List<ProducerRecord<byte[], byte[]>> records) {
            this(records, false);
        }
    }

    /**
     * Given up without an outcome (the service is stopping): the record stays uncommitted and is delivered again,
     * and this attempt does not count towards quarantine.
     */
    record GiveUp() implements RecordOutcome {
    }
}
