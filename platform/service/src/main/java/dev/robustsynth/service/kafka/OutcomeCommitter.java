package dev.robustsynth.service.kafka;

import dev.robustsynth.service.ServiceAssembly;
import dev.robustsynth.service.ServiceLifecycle;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import io.smallrye.reactive.messaging.kafka.transactions.TransactionalEmitter;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Commits the outcomes of task records exactly once, through SmallRye's {@link KafkaTransactions} on the
 * {@code results} channel, on its own thread. One step: the outcomes finished since the last one (of partitions
 * still held in the assignment they were received in), their result and dead-letter records, and the offset every
 * held partition may commit, in one transaction with the consumer group's generation.
 *
 * <ul>
 *   <li>Tasks finish out of order, so the offset a partition commits is its first record still pending
 *       ({@link OffsetLedger}), not the offset of the message just finished; the transaction is given those offsets
 *       as {@link IncomingKafkaRecordBatchMetadata} (the form SmallRye takes for a batch). A record finished above
 *       the committed offset is delivered again after a crash; the {@link OutcomeIndex} recognises it.
 *   <li>Every transaction carries offsets with the group's generation, so a zombie (an instance that lost its
 *       partitions) is fenced: SmallRye aborts on a changed generation, the coordinator refuses an old one. After
 *       an abort SmallRye rewinds the consumer to the committed offsets; the outcomes are sent again next step.
 *   <li>On revocation the tasks in flight of the lost partitions are cancelled and publish nothing.
 *   <li>{@link #drain} (shutdown) takes no more records, gives running tasks the grace period, commits what
 *       finished and leaves the rest uncommitted for redelivery.
 * </ul>
 */
@ApplicationScoped
public class OutcomeCommitter {
    private static final Logger LOG = Logger.getLogger(OutcomeCommitter.class);
    private static final int MAX_OUTCOMES_PER_TRANSACTION = 100;
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration GROUP_METADATA_TIMEOUT = Duration.ofSeconds(10);
    private static final long LAG_EVERY_NANOS = Duration.ofSeconds(2).toNanos();

    @Inject
    @Channel(KafkaChannelConfig.RESULTS)
    KafkaTransactions<byte[]> transactions;

    @Inject
    KafkaClientService clients;

    @Inject
    ServiceLifecycle lifecycle;

    /** A record whose outcome is known, from the partition assignment it was received in. */
    private record Finished(ConsumerRecord<byte[], byte[]> source, long epoch, RecordOutcome outcome) {
        TopicPartition partition() {
            return new TopicPartition(source.topic(), source.partition());
        }

        List<ProducerRecord<byte[], byte[]>> records() {
            return outcome instanceof RecordOutcome.Publish publish ? publish.records() : List.of();
        }

        boolean bulk() {
            return outcome instanceof RecordOutcome.Publish publish && publish.bulk();
        }
    }

    private final OffsetLedger ledger = new OffsetLedger();
    private final Map<TopicPartition, Long> epochs = new ConcurrentHashMap<>();
    private final AtomicLong nextEpoch = new AtomicLong();
    private final Object revocation = new Object();
    private final LinkedBlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    private final CountDownLatch exited = new CountDownLatch(1);
    private final AtomicLong commitFailures = new AtomicLong();
    private volatile boolean stopping;
    private volatile boolean exit;
    private volatile Throwable failure;
    private volatile long commitWantedSinceNanos = Long.MAX_VALUE;
    private volatile long lastStepNanos = System.nanoTime();
    private volatile double lag;
    private long lagReadNanos;
    private Duration bulkLinger = Duration.ZERO;

    /** Starts the commit thread once the channels are wired. */
    void start(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) StartupEvent event) {
        ServiceAssembly s = service();
        bulkLinger = s.config().jobs().commitLinger();
        s.metrics().consumerGauges(this::lag, this::commitFailures, () -> oldestUncommittedAge().toMillis() / 1000.0);
        Thread thread = new Thread(this::run, "rsynth-outcome-committer");
        thread.setDaemon(true);
        thread.start();
        LOG.infof("RobustSynth service '%s' consuming %s", s.instance(), s.topics().tasks());
    }

    private ServiceAssembly service() {
        return lifecycle.assembly();
    }

    // ---- the tasks channel's side (a Vert.x thread)

    /**
     * A task record from the channel: the epoch of its partition's assignment, or empty when it is not to be
     * handled here (its partition is no longer held, the service is stopping, or the record is pending already:
     * delivered again after a rewind while it runs).
     */
    OptionalLong receive(ConsumerRecord<byte[], byte[]> record) {
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        Long epoch = epochs.get(tp);
        if (stopping || epoch == null || !ledger.track(tp, record.offset())) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(epoch);
    }

    /** The record's outcome, from any thread; committed on the next step. */
    void finished(ConsumerRecord<byte[], byte[]> record, long epoch, RecordOutcome outcome) {
        if (outcome instanceof RecordOutcome.GiveUp) {
            ledger.giveUp(new TopicPartition(record.topic(), record.partition()), record.offset());
            service().attempts().released(new TopicPartition(record.topic(), record.partition()), record.offset());
            return;
        }
        Finished f = new Finished(record, epoch, outcome);
        results(f).forEach((id, value) -> service().outcomeIndex().handedOver(id, value));
        finished.add(f);
    }

    /** Completes once fewer than the capacity's records are pending (the channel's back-pressure). */
    CompletionStage<Void> space() {
        return ledger.space(service().capacity());
    }

    // ---- the rebalance listener's side (SmallRye's polling thread)

    void assigned(Collection<TopicPartition> partitions) {
        partitions.forEach(tp -> epochs.put(tp, nextEpoch.incrementAndGet()));
    }

    /** Revoked or lost: the partitions' tasks are cancelled and their records left to the next owner. */
    void lost(Collection<TopicPartition> partitions) {
        synchronized (revocation) {
            partitions.forEach(epochs::remove);
        }
        service().dispatcher().abandon(partitions);
        release(ledger.forget(partitions));
    }

    private void release(Map<TopicPartition, List<Long>> pending) {
        pending.forEach((tp, offsets) -> offsets.forEach(o -> service().attempts().released(tp, o)));
    }

    // ---- the commit thread

    private void run() {
        try {
            while (!exit) {
                step();
                lastStepNanos = System.nanoTime();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.errorf(e, "the outcome committer stopped; records in flight stay uncommitted");
        } finally {
            exited.countDown();
        }
    }

    private void step() throws InterruptedException {
        List<Finished> batch = new ArrayList<>();
        Finished first = finished.poll(20, TimeUnit.MILLISECONDS);
        if (first != null) {
            batch.add(first);
            finished.drainTo(batch, MAX_OUTCOMES_PER_TRANSACTION - 1);
            lingerForBulk(batch);
        }
        readLag();
        if (batch.isEmpty() && !ledger.moved()) {
            commitWantedSinceNanos = Long.MAX_VALUE;
            return;
        }
        if (commitWantedSinceNanos == Long.MAX_VALUE) {
            commitWantedSinceNanos = System.nanoTime();
        }
        ConsumerGroupMetadata group;
        try {
            group = tasksConsumer().consumerGroupMetadata().await().atMost(GROUP_METADATA_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("the tasks consumer's group metadata is not available (%s); retrying", e.toString());
            finished.addAll(batch);
            Thread.sleep(200);
            return;
        }
        // after reading the generation: a partition revoked before it is excluded here; one revoked after it makes
        // the generation stale, and the transaction is refused
        List<Finished> held = new ArrayList<>();
        for (Finished f : batch) {
            if (epochs.getOrDefault(f.partition(), -1L) == f.epoch()) {
                held.add(f);
            } else {
                LOG.debugf("outcome of %s dropped: its partition was revoked meanwhile", AttemptLog.key(f.source()));
                results(f).keySet().forEach(service().outcomeIndex()::dropped);
            }
        }
        Map<TopicPartition, List<Long>> committing = new HashMap<>();
        held.forEach(f -> committing.computeIfAbsent(f.partition(), tp -> new ArrayList<>()).add(f.source().offset()));
        Map<TopicPartition, Long> offsets = ledger.committable(committing);
        offsets.keySet().retainAll(epochs.keySet());
        Map<TopicPartition, OffsetAndMetadata> lastDone = new HashMap<>();
        offsets.forEach((tp, offset) -> {
            if (offset > 0) {
                lastDone.put(tp, new OffsetAndMetadata(offset - 1)); // SmallRye commits the offset after it
            }
        });
        boolean committed = lastDone.isEmpty() ? commitWithoutOffsets(held) : commit(held, lastDone, group);
        if (!committed) {
            finished.addAll(held);
            return;
        }
        for (Finished f : held) {
            if (epochs.getOrDefault(f.partition(), -1L) == f.epoch()) { // not revoked meanwhile
                ledger.done(f.partition(), f.source().offset());
                service().attempts().finished(f.partition(), f.source().offset());
            }
        }
        ledger.committed(offsets);
        commitWantedSinceNanos = Long.MAX_VALUE;
    }

    /**
     * While every outcome taken is a bulk job's, waits up to the bulk linger for more, so that bulk outcomes share
     * transactions (each costs the broker a commit and a marker on every partition it wrote); an interactive outcome
     * ends the wait at once, and so does stopping.
     */
    private void lingerForBulk(List<Finished> batch) throws InterruptedException {
        long until = System.nanoTime() + bulkLinger.toNanos();
        boolean allBulk = batch.stream().allMatch(Finished::bulk);
        while (allBulk && !stopping && batch.size() < MAX_OUTCOMES_PER_TRANSACTION) {
            long left = until - System.nanoTime();
            Finished next = left > 0 ? finished.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            int from = batch.size();
            batch.add(next);
            finished.drainTo(batch, MAX_OUTCOMES_PER_TRANSACTION - batch.size());
            allBulk = batch.subList(from, batch.size()).stream().allMatch(Finished::bulk);
        }
    }

    /** One transaction; false when it was aborted (tried again next step). A fenced producer ends the thread. */
    private boolean commit(List<Finished> held, Map<TopicPartition, OffsetAndMetadata> lastDone,
                           ConsumerGroupMetadata group) {
        var offsets = new IncomingKafkaRecordBatchMetadata<>(ConsumerRecords.<byte[], byte[]>empty(),
                KafkaChannelConfig.TASKS, -1, lastDone, group.generationId());
        return await(transactions.withTransaction(offsets, sending(held)), held.size(), lastDone);
    }

    /**
     * While every held partition still waits on its offset 0 there is no offset to commit, so no generation fences
     * the transaction: it runs under the revocation lock instead, so a partition is either revoked before (its
     * outcomes are left out) or after the outcomes are committed (the new owner's outcome index then sees them).
     * This transaction needs nothing from the polling thread, so the rebalance listener can wait for it.
     */
    private boolean commitWithoutOffsets(List<Finished> held) {
        synchronized (revocation) {
            List<Finished> still = held.stream()
                    .filter(f -> epochs.getOrDefault(f.partition(), -1L) == f.epoch()).toList();
            return await(transactions.withTransaction(sending(still)), still.size(), Map.of());
        }
    }

    private static Function<TransactionalEmitter<byte[]>, Uni<Void>> sending(List<Finished> outcomes) {
        return tx -> {
            outcomes.forEach(f -> f.records().forEach(r -> tx.send(KafkaMessages.of(r))));
            return Uni.createFrom().voidItem();
        };
    }

    private boolean await(Uni<Void> transaction, int records, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            transaction.await().atMost(TRANSACTION_TIMEOUT);
            return true;
        } catch (RuntimeException e) {
            if (fatal(e)) {
                throw new IllegalStateException("the transactional producer was fenced or refused (" + e
                        + "); another instance owns this work now", e);
            }
            commitFailures.incrementAndGet();
            LOG.warnf("the outcome transaction of %d record(s) with offsets %s failed (%s); retrying", records,
                    offsets, e.toString());
            return false;
        }
    }

    private static boolean fatal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
                    || t instanceof AuthorizationException) {
                return true;
            }
        }
        return false;
    }

    /** The result records of an outcome (those answering a request), as id and value. */
    private static Map<String, byte[]> results(Finished f) {
        Map<String, byte[]> out = new HashMap<>();
        for (ProducerRecord<byte[], byte[]> r : f.records()) {
            if (r.key() != null && r.value() != null && r.headers().lastHeader(OutcomeIndex.SOURCE_HEADER) != null) {
                out.put(new String(r.key(), StandardCharsets.UTF_8), r.value());
            }
        }
        return out;
    }

    private KafkaConsumer<Object, Object> tasksConsumer() {
        return clients.getConsumer(KafkaChannelConfig.TASKS);
    }

    /** The tasks consumer's records-lag-max, read on its polling thread every two seconds. */
    private void readLag() {
        long now = System.nanoTime();
        if (now - lagReadNanos < LAG_EVERY_NANOS) {
            return;
        }
        lagReadNanos = now;
        try {
            Function<Consumer<Object, Object>, Double> read = c -> maxLag(c.metrics());
            lag = tasksConsumer().runOnPollingThread(read).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debugf("the tasks consumer's lag is not available: %s", e.toString());
        }
    }

    private static double maxLag(Map<MetricName, ? extends Metric> metrics) {
        double max = 0;
        for (var metric : metrics.entrySet()) {
            if (metric.getKey().name().equals("records-lag-max")
                    && metric.getValue().metricValue() instanceof Double value && !value.isNaN()) {
                max = Math.max(max, value);
            }
        }
        return max;
    }

    // ---- shutdown

    /**
     * Stops taking records, gives the tasks in flight {@code grace} to finish, commits what finished and leaves
     * the rest uncommitted (their attempts do not count). Blocks for at most the grace plus some seconds.
     */
    public void drain(Duration grace) {
        stopping = true;
        ServiceAssembly s = service();
        s.dispatcher().stopAccepting();
        long deadline = System.nanoTime() + grace.toNanos();
        try {
            while (ledger.unsettled() > 0 && System.nanoTime() < deadline && exited.getCount() > 0) {
                Thread.sleep(50);
            }
            Collection<TopicPartition> owned = ledger.owned();
            if (ledger.unsettled() > 0) {
                LOG.warnf("shutdown grace over with %d record(s) unfinished %s; they stay uncommitted and will be "
                        + "redelivered", ledger.unsettled(), ledger.pendingByPartition());
                s.dispatcher().abandon(owned);
            }
            long flushUntil = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!finished.isEmpty() && System.nanoTime() < flushUntil && exited.getCount() > 0) {
                Thread.sleep(50);
            }
            exit = true;
            exited.await(TRANSACTION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Map<TopicPartition, List<Long>> left = ledger.forget(owned);
            release(left);
            LOG.infof("tasks channel stopped; %d record(s) left uncommitted for redelivery",
                    left.values().stream().mapToInt(List::size).sum());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- what health checks and gauges read

    /** Whether the commit thread runs (false once it has died or the service stopped). */
    public boolean running() {
        return exited.getCount() > 0 && failure == null;
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Time since the commit thread last finished a step (a stuck thread shows here). */
    public Duration sinceLastStep() {
        return Duration.ofNanos(System.nanoTime() - lastStepNanos);
    }

    /** Age of the oldest record received and not yet committable; zero when none. */
    public Duration oldestUncommittedAge() {
        OptionalLong since = ledger.oldestPendingNanos();
        return since.isEmpty() ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since.getAsLong());
    }

    /**
     * How long outcomes or offsets have waited for a committed transaction (zero when nothing waits): a broker that
     * refuses transactions shows here, a long task does not.
     */
    public Duration commitsFrozenFor() {
        long since = commitWantedSinceNanos;
        return since == Long.MAX_VALUE ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    public boolean commitsFrozen(Duration bound) {
        return commitsFrozenFor().compareTo(bound) >= 0;
    }

    public long commitFailures() {
        return commitFailures.get();
    }

    /** The tasks consumer's records-lag-max: the most records its partitions are behind their end. */
    public double lag() {
        return lag;
    }

    /** Whether the records pending fill the capacity (the channel takes no more until some finish). */
    public boolean full() {
        return ledger.unsettled() >= service().capacity();
    }

    public boolean assigned() {
        return !epochs.isEmpty();
    }

    public int pending() {
        return ledger.pending();
    }
}
