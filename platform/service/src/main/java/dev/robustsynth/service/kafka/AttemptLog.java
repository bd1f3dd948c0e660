package dev.robustsynth.service.kafka;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * How many times each task record has started being handled, persisted on a compacted topic keyed by the record's
 * coordinates ({@code topic-partition@offset}), so that a record that takes the JVM down (native crash, OOM,
 * kill -9) is counted across restarts and instances. The tasks channel raises a record's count, and waits for the
 * write to be acknowledged (through the {@code attempts} channel), before the record is handled; a record whose outcome is published gets a tombstone;
 * a record given up at shutdown or on revocation gets its count lowered again. Every instance reads the whole topic
 * on its own thread, so a partition taken over from a dead instance sees that instance's counts (the consumer waits
 * for this reader to catch up before it handles the first records of a newly assigned partition).
 */
public final class AttemptLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AttemptLog.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);

    private final RecordSender sender;
    private final String topic;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final AtomicLong writeFailures = new AtomicLong();
    private final TopicTail tail;

    /** @param reader a group-less consumer of the attempts topic; {@code sender} writes to it */
    public AttemptLog(RecordSender sender, Consumer<byte[], byte[]> reader, String topic) {
        this.sender = requireNonNull(sender, "sender is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.tail = new TopicTail(reader, topic, "rsynth-attempts-reader", this::apply);
    }

    static String key(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }

    static String key(ConsumerRecord<?, ?> record) {
        return key(record.topic(), record.partition(), record.offset());
    }

    /**
     * Raises the record's count; the stage completes with its attempt number (1 for a record never handled before)
     * once the count is on Kafka, or after 15 s without an acknowledgement (logged: a crash while handling it would
     * then not be counted).
     */
    CompletionStage<Integer> begin(ConsumerRecord<byte[], byte[]> record) {
        String key = key(record);
        int attempt = counts.merge(key, 1, Integer::sum);
        return write(key, attempt).toCompletableFuture()
                .orTimeout(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, error) -> {
                    if (error != null) {
                        writeFailures.incrementAndGet();
                        LOG.warnf("the attempt count of %s could not be written (%s); a crash while handling it will "
                                + "not be counted", key, error.toString());
                    }
                    return attempt;
                });
    }

    /** The record's outcome is committed: forget its count. */
    void finished(TopicPartition tp, long offset) {
        String key = key(tp.topic(), tp.partition(), offset);
        counts.remove(key);
        write(key, 0);
    }

    /** The record was given up without an outcome (shutdown, revocation): this attempt does not count. */
    void released(TopicPartition tp, long offset) {
        String key = key(tp.topic(), tp.partition(), offset);
        Integer left = counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        write(key, left == null ? 0 : left);
    }

    /** Writes a count; 0 writes a tombstone. Never throws. */
    private CompletionStage<Void> write(String key, int count) {
        byte[] value = count == 0 ? null : Integer.toString(count).getBytes(StandardCharsets.UTF_8);
        try {
            return sender.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Waits until the reader has read everything written to the topic before this call. */
    boolean awaitCaughtUp(Duration timeout) {
        return tail.awaitCaughtUp(timeout);
    }

    private void apply(ConsumerRecord<byte[], byte[]> r) {
        if (r.key() == null) {
            return;
        }
        String key = new String(r.key(), StandardCharsets.UTF_8);
        if (r.value() == null) {
            counts.remove(key);
            return;
        }
        try {
            counts.put(key, Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8).strip()));
        } catch (NumberFormatException e) {
            LOG.warnf("ignoring attempts record %s-%d@%d: not a count", r.topic(), r.partition(), r.offset());
        }
    }

    public boolean running() {
        return tail.running();
    }

    /** Count writes that failed (each makes a crash during those records uncounted). */
    public long writeFailures() {
        return writeFailures.get();
    }

    @Override
    public void close() {
        tail.close();
    }
}
