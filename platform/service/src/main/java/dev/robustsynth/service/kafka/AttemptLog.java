package dev.robustsynth.service.kafka;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * How many times each task record has started being handled, persisted on a compacted topic keyed by the record's
 * coordinates ({@code topic-partition@offset}), so that a record that takes the JVM down (native crash, OOM,
 * kill -9) is counted across restarts and instances. The consumer raises a record's count, and waits for the
 * write to be acknowledged, before the record is handled; a record whose outcome is published gets a tombstone;
 * a record given up at shutdown or on revocation gets its count lowered again. Every instance reads the whole topic
 * on its own thread, so a partition taken over from a dead instance sees that instance's counts (the consumer waits
 * for this reader to catch up before it handles the first records of a newly assigned partition).
 */
public final class AttemptLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AttemptLog.class);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(15);

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final AtomicLong writeFailures = new AtomicLong();
    private final TopicTail tail;

    public AttemptLog(Producer<byte[], byte[]> producer, Consumer<byte[], byte[]> reader, String topic) {
        this.producer = requireNonNull(producer, "producer is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.tail = new TopicTail(reader, topic, TopicTail.Start.BEGINNING, "rsynth-attempts-reader", this::apply);
    }

    static String key(String topic, int partition, long offset) {
        return topic + "-" + partition + "@" + offset;
    }

    static String key(ConsumerRecord<?, ?> record) {
        return key(record.topic(), record.partition(), record.offset());
    }

    /**
     * Raises the count of each record and waits until the counts are on Kafka.
     *
     * @return each record's attempt number, this one included (1 for a record never handled before), by key
     */
    Map<String, Integer> begin(List<ConsumerRecord<byte[], byte[]>> records) {
        Map<String, Integer> attempts = new HashMap<>();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String key = key(record);
            int attempt = counts.merge(key, 1, Integer::sum);
            attempts.put(key, attempt);
            writes.add(write(key, attempt));
        }
        try {
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                    .get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            writeFailures.incrementAndGet();
            LOG.warnf("attempt counts of %d record(s) could not be written (%s); a crash while handling them will "
                    + "not be counted", records.size(), e.toString());
        }
        return attempts;
    }

    /** The record's outcome is published: forget its count. */
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
    private CompletableFuture<Void> write(String key, int count) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        byte[] value = count == 0 ? null : Integer.toString(count).getBytes(StandardCharsets.UTF_8);
        try {
            producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value), (m, e) -> {
                if (e == null) {
                    done.complete(null);
                } else {
                    done.completeExceptionally(e);
                }
            });
        } catch (KafkaException | IllegalStateException e) {
            done.completeExceptionally(e);
        }
        return done;
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
        producer.close(Duration.ofSeconds(5));
    }
}
