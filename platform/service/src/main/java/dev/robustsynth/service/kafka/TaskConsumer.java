package dev.robustsynth.service.kafka;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The exactly-once poll loop of the tasks topic, on its own thread (the only thread touching the consumer and the
 * transactional producer). One step: commit what finished, pause or resume, poll, persist the attempt counts of
 * the new records, hand them to the {@link RecordHandler}.
 *
 * <ul>
 *   <li>A finished record's outcome (its result, and its dead letter where one is due) is sent in a Kafka
 *       transaction together with the consumed offsets, so a {@code read_committed} reader sees the outcome exactly
 *       when the request is committed. Tasks finish out of order: the offset committed for a partition is the first
 *       record still pending ({@link OffsetLedger}); a finished record above it is redelivered after a crash, and
 *       the {@link OutcomeIndex} recognises it, so it is not run again.
 *   <li>The transactional id is the instance's; the consumer group's metadata goes with the offsets, so a zombie
 *       (an instance that lost its partitions but still runs) is fenced by the group generation.
 *   <li>Cooperative-sticky rebalancing: on revocation, what finished is committed, and the tasks still in flight of
 *       the lost partitions are cancelled and publish nothing; the new owner runs them.
 *   <li>When {@code capacity} records are pending the partitions pause (the loop keeps polling, so it stays in the
 *       group) until work finishes.
 *   <li>{@link #stop(Duration)} stops accepting, waits up to the grace period for running tasks, commits what is
 *       finished and leaves the rest uncommitted, so those records are redelivered after a restart.
 * </ul>
 */
public final class TaskConsumer implements Runnable {
    private static final Logger LOG = Logger.getLogger(TaskConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration CATCH_UP = Duration.ofSeconds(30);

    /** A record whose outcome is ready, from the partition assignment it was received in. */
    private record Finished(ConsumerRecord<byte[], byte[]> source, long generation,
                            List<ProducerRecord<byte[], byte[]>> outcome) {
        TopicPartition partition() {
            return new TopicPartition(source.topic(), source.partition());
        }
    }

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final RecordHandler handler;
    private final AttemptLog attempts;
    private final OutcomeIndex index;
    private final int capacity;
    private final OffsetLedger ledger = new OffsetLedger();
    private final ConcurrentLinkedQueue<Finished> finished = new ConcurrentLinkedQueue<>();
    private final Map<TopicPartition, Long> generations = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong nextGeneration = new AtomicLong();
    private final CountDownLatch exited = new CountDownLatch(1);
    private final AtomicLong lastPollNanos = new AtomicLong(System.nanoTime());
    private final AtomicLong commitFailures = new AtomicLong();
    private volatile long stopDeadlineNanos = Long.MAX_VALUE;
    private volatile boolean stopping;
    private volatile boolean paused;
    private volatile Throwable failure;
    private volatile long oldestPendingNanos = Long.MAX_VALUE;
    private volatile long commitWantedSinceNanos = Long.MAX_VALUE;
    private volatile double lag;

    /** What the loop works with; the producer is transactional and not yet initialised. */
    public record Clients(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, AttemptLog attempts,
                          OutcomeIndex index) {
        public Clients {
            requireNonNull(consumer, "consumer is null");
            requireNonNull(producer, "producer is null");
            requireNonNull(attempts, "attempts is null");
            requireNonNull(index, "index is null");
        }
    }

    /** @param capacity how many records may be pending (in intake, queued, running) before the partitions pause */
    public TaskConsumer(Clients clients, String topic, RecordHandler handler, int capacity) {
        this.consumer = clients.consumer();
        this.producer = clients.producer();
        this.attempts = clients.attempts();
        this.index = clients.index();
        this.topic = requireNonNull(topic, "topic is null");
        this.handler = requireNonNull(handler, "handler is null");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be ≥ 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Starts the loop on a new platform thread named {@code rsynth-tasks-consumer}. */
    public Thread start() {
        Thread thread = new Thread(this, "rsynth-tasks-consumer");
        thread.setDaemon(false);
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        try {
            producer.initTransactions();
            consumer.subscribe(List.of(topic), new Rebalance());
            while (!stopping) {
                step();
            }
            drainForShutdown();
        } catch (WakeupException e) {
            if (!stopping) {
                failure = e;
            }
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.errorf(e, "the tasks consumer stopped on an error; records in flight stay uncommitted");
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warnf("closing the tasks consumer failed: %s", e.toString());
            }
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warnf("closing the transactional producer failed: %s", e.toString());
            }
            exited.countDown();
        }
    }

    private void step() {
        commit();
        applyBackpressure();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        lastPollNanos.set(System.nanoTime());
        observe();
        List<ConsumerRecord<byte[], byte[]>> fresh = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!ledger.isPending(new TopicPartition(record.topic(), record.partition()), record.offset())) {
                fresh.add(record); // a pending one was re-fetched after a pause; its completion will mark it
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        Map<String, Integer> attempt = attempts.begin(fresh); // on Kafka before any of them is handled
        for (ConsumerRecord<byte[], byte[]> record : fresh) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            ledger.track(tp, record.offset());
            long generation = generations.getOrDefault(tp, -1L);
            handler.handle(record, attempt.get(AttemptLog.key(record)), outcome -> {
                results(outcome).forEach(r -> index.handedOver(r.getKey(), r.getValue()));
                finished.add(new Finished(record, generation, List.copyOf(outcome)));
            });
        }
    }

    /**
     * One transaction: the outcomes finished since the last one (of partitions still held in the assignment they
     * were received in) and the offsets they make committable. On an abortable error everything is put back and
     * tried again on the next step; a fenced producer ends the loop (another instance owns the work now).
     */
    private void commit() {
        List<Finished> batch = new ArrayList<>();
        Finished f;
        while ((f = finished.poll()) != null) {
            if (generations.getOrDefault(f.partition(), -2L) == f.generation()) {
                batch.add(f);
            } else {
                LOG.debugf("outcome of %s dropped: its partition was revoked meanwhile", AttemptLog.key(f.source()));
                results(f.outcome()).forEach(r -> index.dropped(r.getKey()));
            }
        }
        batch.forEach(b -> ledger.done(b.partition(), b.source().offset()));
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.toCommit();
        offsets.keySet().retainAll(consumer.assignment());
        if (batch.isEmpty() && offsets.isEmpty()) {
            commitWantedSinceNanos = Long.MAX_VALUE;
            return;
        }
        if (commitWantedSinceNanos == Long.MAX_VALUE) {
            commitWantedSinceNanos = System.nanoTime();
        }
        Map<Finished, List<Future<RecordMetadata>>> sent = new java.util.IdentityHashMap<>();
        try {
            producer.beginTransaction();
            for (Finished b : batch) {
                sent.put(b, b.outcome().stream().map(producer::send).toList());
            }
            if (!offsets.isEmpty()) {
                producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            }
            producer.commitTransaction();
        } catch (ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e) {
            throw new IllegalStateException("the transactional producer was fenced or refused (" + e
                    + "); another instance owns this work now", e);
        } catch (KafkaException e) {
            commitFailures.incrementAndGet();
            LOG.warnf("the outcome transaction of %d record(s) with offsets %s failed (%s); retrying on the next poll",
                    batch.size(), offsets, e.toString());
            try {
                producer.abortTransaction();
            } catch (KafkaException abort) {
                LOG.warnf("aborting the transaction failed: %s", abort.toString());
            }
            batch.forEach(b -> ledger.restore(b.partition(), b.source().offset()));
            finished.addAll(batch);
            return;
        }
        ledger.committed(offsets);
        commitWantedSinceNanos = Long.MAX_VALUE;
        for (Finished b : batch) {
            attempts.finished(b.partition(), b.source().offset());
            indexResults(b, sent.get(b));
        }
    }

    /** The result records among an outcome's records (those answering a request), as id and value. */
    private static List<Map.Entry<String, byte[]>> results(List<ProducerRecord<byte[], byte[]>> outcome) {
        return outcome.stream().filter(r -> r.key() != null && r.headers().lastHeader(OutcomeIndex.SOURCE_HEADER) != null)
                .map(r -> Map.entry(new String(r.key(), StandardCharsets.UTF_8), r.value())).toList();
    }

    private void indexResults(Finished finished, List<Future<RecordMetadata>> sent) {
        for (int i = 0; i < sent.size(); i++) {
            ProducerRecord<byte[], byte[]> record = finished.outcome().get(i);
            var source = record.headers().lastHeader(OutcomeIndex.SOURCE_HEADER);
            if (source == null || record.key() == null) {
                continue;
            }
            try {
                RecordMetadata metadata = sent.get(i).get(0, TimeUnit.MILLISECONDS); // committed: complete
                index.committed(new String(record.key(), StandardCharsets.UTF_8),
                        new String(source.value(), StandardCharsets.UTF_8), metadata.partition(), metadata.offset());
            } catch (Exception e) {
                LOG.debugf("no metadata for a committed result: %s", e.toString());
            }
        }
    }

    /** Publishes what the health checks and gauges read from other threads. */
    private void observe() {
        oldestPendingNanos = ledger.oldestPendingNanos().orElse(Long.MAX_VALUE);
        double max = 0;
        for (var metric : consumer.metrics().entrySet()) {
            if (metric.getKey().name().equals("records-lag-max")
                    && metric.getValue().metricValue() instanceof Double value && !value.isNaN()) {
                max = Math.max(max, value);
            }
        }
        lag = max;
    }

    private void drainForShutdown() {
        handler.stopAccepting();
        consumer.pause(consumer.assignment());
        while (!handler.idle() && System.nanoTime() < stopDeadlineNanos) {
            commit();
            consumer.poll(POLL);
            lastPollNanos.set(System.nanoTime());
        }
        commit();
        if (!handler.idle()) {
            LOG.warnf("shutdown grace over with %d record(s) unfinished %s; they stay uncommitted and will be "
                    + "redelivered", ledger.pending(), ledger.pendingByPartition());
            handler.abandon(consumer.assignment());
        }
        commit();
        ledger.pendingOffsets().forEach((tp, offsets) -> offsets.forEach(o -> attempts.released(tp, o)));
        LOG.infof("tasks consumer stopped; %d record(s) left uncommitted for redelivery", ledger.pending());
    }

    private void applyBackpressure() {
        boolean full = ledger.pending() >= capacity;
        Set<TopicPartition> assignment = consumer.assignment();
        if (full && !paused) {
            consumer.pause(assignment);
            paused = true;
        } else if (!full && paused) {
            consumer.resume(assignment);
            paused = false;
        } else if (paused) {
            consumer.pause(assignment); // partitions assigned since the pause
        }
    }

    /**
     * Stops the loop: no new task starts, running tasks get {@code grace} to finish, finished ones are committed,
     * the rest stay uncommitted. Blocks until the consumer is closed (at most grace plus a few seconds).
     */
    public void stop(Duration grace) throws InterruptedException {
        stopDeadlineNanos = System.nanoTime() + grace.toNanos();
        stopping = true;
        if (!exited.await(grace.toMillis() + 15_000, TimeUnit.MILLISECONDS)) {
            LOG.warn("the tasks consumer did not stop in time");
        }
    }

    public boolean running() {
        return exited.getCount() > 0 && failure == null;
    }

    public java.util.Optional<Throwable> failure() {
        return java.util.Optional.ofNullable(failure);
    }

    /** Time since the loop last returned from poll (a stuck loop shows here). */
    public Duration sinceLastPoll() {
        return Duration.ofNanos(System.nanoTime() - lastPollNanos.get());
    }

    /** Age of the oldest record received and not yet committable (its outcome not committed); zero when none. */
    public Duration oldestUncommittedAge() {
        long since = oldestPendingNanos;
        return since == Long.MAX_VALUE ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /**
     * How long outcomes or offsets have waited for a committed transaction (zero when nothing waits): a broker that
     * refuses transactions shows here, a long task does not.
     */
    public Duration commitsFrozenFor() {
        long since = commitWantedSinceNanos;
        return since == Long.MAX_VALUE ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /** Whether outcomes or offsets have waited longer than {@code bound} for a committed transaction. */
    public boolean commitsFrozen(Duration bound) {
        return commitsFrozenFor().compareTo(bound) >= 0;
    }

    public long commitFailures() {
        return commitFailures.get();
    }

    /** The consumer's records-lag-max: the most records its assigned partitions are behind their end. */
    public double lag() {
        return lag;
    }

    public boolean paused() {
        return paused;
    }

    public boolean assigned() {
        return !generations.isEmpty();
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            commit(); // still the owner: what finished is committed with its offsets
            lose(partitions);
            LOG.infof("tasks consumer revoked %s", partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lose(partitions);
        }

        private void lose(Collection<TopicPartition> partitions) {
            partitions.forEach(generations::remove);
            handler.abandon(partitions);
            Map<TopicPartition, List<Long>> pending = ledger.pendingOffsets();
            partitions.forEach(tp -> pending.getOrDefault(tp, List.of()).forEach(o -> attempts.released(tp, o)));
            ledger.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            attempts.awaitCaughtUp(CATCH_UP); // counts written by an instance that died
            index.awaitCaughtUp(CATCH_UP); // outcomes committed by the previous owner
            partitions.forEach(tp -> generations.put(tp, nextGeneration.incrementAndGet()));
            if (paused || stopping) {
                consumer.pause(partitions);
            }
            LOG.infof("tasks consumer assigned %s", partitions);
        }
    }
}
