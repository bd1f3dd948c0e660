package dev.robustsynth.service.kafka;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The at-least-once poll loop of the tasks topic, on its own thread (the only thread touching the consumer).
 *
 * <ul>
 *   <li>Every record is tracked in an {@link OffsetLedger} when received and marked done when its handler reports
 *       the outcome published; the loop commits, per partition, up to the first record still pending. Auto-commit
 *       is off, so nothing is committed early and a task may run for hours without any channel turning unhealthy.
 *   <li>When {@code capacity} records are pending the loop pauses its partitions (it keeps polling, so it stays in
 *       the group) and resumes them when work finishes: the worker pool's queue never grows without bound.
 *   <li>{@link #stop(Duration)} stops accepting, waits up to the grace period for running tasks, commits what is
 *       finished and leaves the rest uncommitted, so those records are redelivered after a restart.
 * </ul>
 */
public final class TaskConsumer implements Runnable {
    private static final Logger LOG = Logger.getLogger(TaskConsumer.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final RecordHandler handler;
    private final AttemptLog attempts;
    private final int capacity;
    private final OffsetLedger ledger = new OffsetLedger();
    private final ConcurrentLinkedQueue<ConsumerRecord<byte[], byte[]>> finished = new ConcurrentLinkedQueue<>();
    private final CountDownLatch exited = new CountDownLatch(1);
    private final AtomicLong lastPollNanos = new AtomicLong(System.nanoTime());
    private volatile long stopDeadlineNanos = Long.MAX_VALUE;
    private volatile boolean stopping;
    private volatile boolean paused;
    private volatile boolean assigned;
    private volatile Throwable failure;
    private volatile long oldestPendingNanos = Long.MAX_VALUE;
    private volatile long commitWantedSinceNanos = Long.MAX_VALUE;
    private volatile double lag;
    private final AtomicLong commitFailures = new AtomicLong();

    /**
     * @param capacity how many records may be pending (queued, running or publishing) before the partitions pause
     */
    public TaskConsumer(Consumer<byte[], byte[]> consumer, String topic, RecordHandler handler, AttemptLog attempts,
                        int capacity) {
        this.consumer = requireNonNull(consumer, "consumer is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.handler = requireNonNull(handler, "handler is null");
        this.attempts = requireNonNull(attempts, "attempts is null");
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
            exited.countDown();
        }
    }

    private void step() {
        markFinished();
        commit();
        applyBackpressure();
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        lastPollNanos.set(System.nanoTime());
        observe();
        List<ConsumerRecord<byte[], byte[]>> fresh = new java.util.ArrayList<>();
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
            ledger.track(new TopicPartition(record.topic(), record.partition()), record.offset());
            handler.handle(record, attempt.get(AttemptLog.key(record)), () -> finished.add(record));
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
            markFinished();
            commit();
            consumer.poll(POLL);
            lastPollNanos.set(System.nanoTime());
        }
        markFinished();
        if (!handler.idle()) {
            LOG.warnf("shutdown grace over with %d record(s) unfinished %s; they stay uncommitted and will be "
                    + "redelivered", ledger.pending(), ledger.pendingByPartition());
            handler.abandon();
        }
        markFinished();
        commit();
        ledger.pendingOffsets().forEach((tp, offsets) -> offsets.forEach(o -> attempts.released(tp, o)));
        LOG.infof("tasks consumer stopped; %d record(s) left uncommitted for redelivery", ledger.pending());
    }

    private void markFinished() {
        ConsumerRecord<byte[], byte[]> record;
        while ((record = finished.poll()) != null) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            ledger.done(tp, record.offset());
            attempts.finished(tp, record.offset());
        }
    }

    private void commit() {
        Map<TopicPartition, OffsetAndMetadata> offsets = ledger.toCommit();
        offsets.keySet().retainAll(consumer.assignment());
        if (offsets.isEmpty()) {
            commitWantedSinceNanos = Long.MAX_VALUE;
            return;
        }
        if (commitWantedSinceNanos == Long.MAX_VALUE) {
            commitWantedSinceNanos = System.nanoTime();
        }
        try {
            consumer.commitSync(offsets, Duration.ofSeconds(10));
            ledger.committed(offsets);
            commitWantedSinceNanos = Long.MAX_VALUE;
        } catch (KafkaException e) {
            // a rebalance in between, a timeout: the next step tries again; nothing is lost, at worst redelivered
            commitFailures.incrementAndGet();
            LOG.warnf("commit of %s failed (%s); retrying on the next poll", offsets, e.toString());
        }
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

    /** Age of the oldest record received and not yet committable (its outcome unpublished); zero when none. */
    public Duration oldestUncommittedAge() {
        long since = oldestPendingNanos;
        return since == Long.MAX_VALUE ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /**
     * How long offsets have been waiting to be committed without a successful commit (zero when nothing waits):
     * a broker that refuses commits shows here, a long task does not.
     */
    public Duration commitsFrozenFor() {
        long since = commitWantedSinceNanos;
        return since == Long.MAX_VALUE ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
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
        return assigned;
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            markFinished();
            Map<TopicPartition, OffsetAndMetadata> offsets = ledger.toCommit();
            offsets.keySet().retainAll(partitions);
            if (!offsets.isEmpty()) {
                try {
                    consumer.commitSync(offsets, Duration.ofSeconds(10));
                } catch (KafkaException e) {
                    LOG.warnf("commit on revocation of %s failed: %s", partitions, e.toString());
                }
            }
            ledger.forget(partitions);
            assigned = !consumer.assignment().isEmpty() && !partitions.containsAll(consumer.assignment());
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            ledger.forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = true;
            if (!partitions.isEmpty()) {
                attempts.awaitCaughtUp(Duration.ofSeconds(30)); // counts written by an instance that died
            }
            if (paused || stopping) {
                consumer.pause(partitions);
            }
            LOG.infof("tasks consumer assigned %s", partitions);
        }
    }
}
