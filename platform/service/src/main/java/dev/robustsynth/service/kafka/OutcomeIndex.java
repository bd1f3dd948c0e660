package dev.robustsynth.service.kafka;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * The committed outcomes of the results topic, by task id and by the request record they answer, rebuilt at start
 * by reading the whole topic {@code read_committed} and kept current by reading on, plus the outcomes this instance
 * commits itself. It answers two questions before a record runs: was this very record answered already (a
 * redelivery after a crash or rebalance: publish nothing), and has its id an outcome already (a resubmission:
 * republish that first outcome). It holds coordinates only, about 150 bytes per id; the first outcome's bytes are
 * read back from the results topic when they are republished.
 */
public final class OutcomeIndex implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OutcomeIndex.class);
    /** Header of every result record: the request record it answers, {@code topic-partition@offset}. */
    public static final String SOURCE_HEADER = "rsynth.source";

    /** Where an id's first committed outcome is, and which request record it answered. */
    public record Entry(String source, int partition, long offset) {
    }

    private final Consumer<byte[], byte[]> fetcher;
    private final String topic;
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idBySource = new ConcurrentHashMap<>();
    private final Map<String, byte[]> uncommitted = new ConcurrentHashMap<>();
    private final TopicTail tail;
    private final Admin admin;

    /**
     * @param reader and fetcher: two group-less read_committed consumers of the results topic
     * @param admin    where the topic's high watermarks come from: {@link #awaitCaughtUp} waits until every
     *                 transaction that had written to the topic before the call has committed or aborted, so an
     *                 outcome whose transaction is still open when a partition changes hands is not missed
     */
    public OutcomeIndex(Consumer<byte[], byte[]> reader, Consumer<byte[], byte[]> fetcher, Admin admin, String topic) {
        this.fetcher = requireNonNull(fetcher, "fetcher is null");
        this.topic = requireNonNull(topic, "topic is null");
        requireNonNull(admin, "admin is null");
        this.tail = new TopicTail(reader, topic, "rsynth-outcome-index", this::index,
                partitions -> highWatermarks(admin, partitions));
        this.admin = admin;
    }

    private static Map<TopicPartition, Long> highWatermarks(Admin admin, List<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        try {
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
                    .get(30, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the offsets of " + partitions, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the offsets of " + partitions + " could not be listed: " + e, e);
        }
    }

    /** The id whose outcome answered this request record, if one is committed. */
    public Optional<String> answered(String source) {
        return Optional.ofNullable(idBySource.get(source));
    }

    /** Records a committed outcome. */
    private void committed(String id, String source, int partition, long offset) {
        byId.putIfAbsent(id, new Entry(source, partition, offset));
        idBySource.putIfAbsent(source, id);
        uncommitted.remove(id);
    }

    /** An outcome handed to the consumer and not committed yet: a resubmission meanwhile gets it too. */
    void handedOver(String id, byte[] value) {
        if (!byId.containsKey(id) && value != null) {
            uncommitted.putIfAbsent(id, value);
        }
    }

    /** A handed-over outcome that will not be committed (its partition was revoked first). */
    void dropped(String id) {
        uncommitted.remove(id);
    }

    /**
     * The value of the first outcome of {@code id}: one handed over and not yet committed, else the first committed
     * one, read back from the results topic; empty when there is none or it cannot be read back.
     */
    public Optional<byte[]> firstOutcome(String id, Duration timeout) {
        byte[] pending = uncommitted.get(id);
        if (pending != null) {
            return Optional.of(pending);
        }
        Entry entry = byId.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        Optional<byte[]> value = value(entry, timeout);
        if (value.isEmpty()) {
            LOG.warnf("the first outcome of task '%s' (at %s@%d) could not be read back", id, topic,
                    entry.offset());
        }
        return value;
    }

    /** The value of a committed result record, read back from the results topic. */
    private synchronized Optional<byte[]> value(Entry entry, Duration timeout) {
        TopicPartition tp = new TopicPartition(topic, entry.partition());
        try {
            fetcher.assign(List.of(tp));
            fetcher.seek(tp, entry.offset());
            long until = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < until) {
                for (ConsumerRecord<byte[], byte[]> r : fetcher.poll(Duration.ofMillis(100))) {
                    if (r.offset() == entry.offset()) {
                        return Optional.ofNullable(r.value());
                    }
                    if (r.offset() > entry.offset()) {
                        return Optional.empty();
                    }
                }
            }
        } catch (KafkaException e) {
            LOG.warnf("the outcome at %s@%d could not be read back: %s", tp, entry.offset(), e.toString());
        }
        return Optional.empty();
    }

    /** Waits until everything committed to the results topic before this call has been read. */
    boolean awaitCaughtUp(Duration timeout) {
        return tail.awaitCaughtUp(timeout);
    }

    private void index(ConsumerRecord<byte[], byte[]> r) {
        Header source = r.headers().lastHeader(SOURCE_HEADER);
        if (r.key() == null || source == null) {
            return;
        }
        committed(new String(r.key(), StandardCharsets.UTF_8), new String(source.value(), StandardCharsets.UTF_8),
                r.partition(), r.offset());
    }

    public int size() {
        return byId.size();
    }

    public boolean running() {
        return tail.running();
    }

    @Override
    public void close() {
        tail.close();
        synchronized (this) {
            fetcher.close(Duration.ofSeconds(2));
        }
        admin.close(Duration.ofSeconds(2));
    }
}
