package dev.robustsynth.service.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * Reads every partition of one topic on its own thread, without a consumer group, from the beginning, handing every
 * record to a callback, and keeps reading. {@link #awaitCaughtUp} waits until everything written before the call has
 * been handed over. The {@link AttemptLog} and the {@link OutcomeIndex} are built on it: state rebuilt from a topic
 * by every instance, which a consumer-group channel cannot be (a group splits the partitions between instances).
 */
public final class TopicTail implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TopicTail.class);

    /** Where the topic ends, per partition: what {@link #awaitCaughtUp} waits for. */
    @FunctionalInterface
    public interface EndOffsets extends Function<List<TopicPartition>, Map<TopicPartition, Long>> {
    }

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final EndOffsets ends;
    private final java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> onRecord;
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> catchUps = new ConcurrentLinkedQueue<>();
    private final CountDownLatch exited = new CountDownLatch(1);
    private volatile boolean stopping;

    /** Reads with {@code consumer}; caught up means at the consumer's own end offsets. */
    public TopicTail(Consumer<byte[], byte[]> consumer, String topic, String threadName,
                     java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> onRecord) {
        this(consumer, topic, threadName, onRecord, null);
    }

    /**
     * @param ends where caught up is (called on the reading thread); null: the consumer's end offsets, which for a
     *             {@code read_committed} consumer stop before transactions still open
     */
    public TopicTail(Consumer<byte[], byte[]> consumer, String topic, String threadName,
                     java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> onRecord, EndOffsets ends) {
        this.consumer = requireNonNull(consumer, "consumer is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.ends = ends != null ? ends : consumer::endOffsets;
        this.onRecord = requireNonNull(onRecord, "onRecord is null");
        Thread thread = new Thread(this::read, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until every record written to the topic before this call has been handed to the callback. */
    public boolean awaitCaughtUp(Duration timeout) {
        CompletableFuture<Void> caughtUp = new CompletableFuture<>();
        catchUps.add(caughtUp);
        try {
            caughtUp.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            LOG.warnf("reading %s did not catch up within %s (%s)", topic, timeout, e.toString());
            return false;
        }
    }

    private void read() {
        try {
            List<TopicPartition> partitions = List.of();
            while (!stopping && partitions.isEmpty()) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                partitions = infos == null ? List.of()
                        : infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(200);
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<CompletableFuture<Void>> waiting = new ArrayList<>();
            Map<TopicPartition, Long> target = null;
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    try {
                        onRecord.accept(r);
                    } catch (RuntimeException e) {
                        LOG.warnf("ignoring %s-%d@%d: %s", r.topic(), r.partition(), r.offset(), e.toString());
                    }
                }
                if (target == null && !catchUps.isEmpty()) {
                    CompletableFuture<Void> f;
                    while ((f = catchUps.poll()) != null) {
                        waiting.add(f);
                    }
                    target = ends.apply(partitions);
                }
                if (target != null && target.entrySet().stream()
                        .allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    waiting.forEach(w -> w.complete(null));
                    waiting.clear();
                    target = null;
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "reading %s stopped", topic);
        } finally {
            consumer.close(Duration.ofSeconds(2));
            catchUps.forEach(f -> f.completeExceptionally(new IllegalStateException("reading " + topic + " stopped")));
            exited.countDown();
        }
    }

    public boolean running() {
        return exited.getCount() > 0;
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            exited.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
