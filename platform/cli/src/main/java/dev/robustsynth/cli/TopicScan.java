package dev.robustsynth.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one topic from its beginning (or from given offsets), with no consumer group and read_committed: every
 * partition is assigned. {@link #end()} is fixed when the scan opens, so {@link #readToEnd} means "everything
 * committed before the scan opened"; {@link #poll} then follows what comes after. The job commands use it on the
 * compacted status topic and on the results topic, where {@link TopicFollower} (which starts at the end) cannot help.
 */
final class TopicScan implements AutoCloseable {
    private final String topic;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final Map<TopicPartition, Long> end;
    private final Duration timeout;

    /** Opens the scan at the beginning of {@code topic}, or at {@code from} where it names a partition. */
    TopicScan(RsynthClientConfig config, String topic, Map<TopicPartition, Long> from) throws RsynthClientException {
        this.topic = topic;
        this.timeout = config.connectTimeout();
        consumer = new KafkaConsumer<>(TopicFollower.consumerProperties(config,
                "rsynth-scan-" + java.util.UUID.randomUUID().toString().substring(0, 8)));
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new RsynthClientException("topic '" + topic + "' does not exist on " + config.bootstrapServers()
                        + "; start the service or create the topics (deploy/kafka/create-topics.sh)");
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            from.forEach((tp, offset) -> {
                if (partitions.contains(tp)) {
                    consumer.seek(tp, offset);
                }
            });
            end = Map.copyOf(consumer.endOffsets(partitions, timeout));
            for (TopicPartition tp : partitions) {
                consumer.position(tp, timeout);
            }
        } catch (KafkaException e) {
            consumer.close(Duration.ZERO);
            String why = e instanceof org.apache.kafka.common.errors.TimeoutException
                    ? "cannot reach Kafka at " + config.bootstrapServers() + " within "
                            + RsynthClientConfig.human(timeout)
                    : "cannot read " + topic + " on " + config.bootstrapServers();
            throw new RsynthClientException(why + " (" + e.getMessage() + ")", e);
        } catch (RsynthClientException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
    }

    /** The committed end of every partition when the scan opened (read_committed: the last stable offsets). */
    Map<TopicPartition, Long> end() {
        return end;
    }

    /** Hands every record up to {@link #end()} to {@code onRecord} (key, value), in partition order. */
    void readToEnd(BiConsumer<String, byte[]> onRecord) throws RsynthClientException {
        long deadline = System.nanoTime() + Math.max(timeout.toNanos(), Duration.ofSeconds(30).toNanos());
        while (!atEnd()) {
            if (System.nanoTime() > deadline) {
                throw new RsynthClientException("reading " + topic + " to its end took too long");
            }
            poll(Duration.ofMillis(200), onRecord);
        }
    }

    /** One poll; records whose key is null are skipped (the contract keys every record by its id). */
    void poll(Duration wait, BiConsumer<String, byte[]> onRecord) throws RsynthClientException {
        try {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(wait)) {
                if (r.key() != null) {
                    onRecord.accept(r.key(), r.value());
                }
            }
        } catch (KafkaException e) {
            throw new RsynthClientException("cannot read " + topic + ": " + e.getMessage(), e);
        }
    }

    private boolean atEnd() {
        for (TopicPartition tp : partitions) {
            if (consumer.position(tp, timeout) < end.get(tp)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
