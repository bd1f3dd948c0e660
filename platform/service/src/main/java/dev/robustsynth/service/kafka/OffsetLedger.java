package dev.robustsynth.service.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Which records of each owned partition are pending (received, their outcome not committed), and so which offset
 * each partition may commit. Tasks finish out of order; the offset committed for a partition is its first pending
 * record, so a record is never committed before its outcome. It also bounds the records pending at once: the tasks
 * channel takes the next record only when {@link #space} completes. Used by the {@link OutcomeCommitter}. Thread-safe.
 *
 * <p>This is the part of the Kafka edge SmallRye Reactive Messaging cannot carry: its commit strategies and
 * {@code KafkaTransactions.withTransactionAndAck} commit the offset <em>of the message acknowledged</em>, which
 * for out-of-order completion would commit earlier records that are still running (platform/service/README.md).
 */
final class OffsetLedger {
    private final Map<TopicPartition, Partition> partitions = new HashMap<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private int pending;
    private int givenUp;

    private record Waiter(int capacity, CompletableFuture<Void> space) {
    }

    private static final class Partition {
        final TreeMap<Long, Long> pending = new TreeMap<>(); // offset -> nanoTime received
        final java.util.Set<Long> givenUp = new java.util.HashSet<>();
        long next = -1;
        long committed = -1;

        long committable() {
            return pending.isEmpty() ? next : pending.firstKey();
        }
    }

    /** A record was received; false when it is pending already (delivered again while it runs). */
    synchronized boolean track(TopicPartition tp, long offset) {
        Partition p = partitions.computeIfAbsent(tp, t -> new Partition());
        if (p.pending.putIfAbsent(offset, System.nanoTime()) != null) {
            return false;
        }
        pending++;
        p.next = Math.max(p.next, offset + 1);
        return true;
    }

    /** The record's outcome is committed; ignored for a partition no longer owned. */
    synchronized void done(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        if (p != null && p.pending.remove(offset) != null) {
            pending--;
            if (p.givenUp.remove(offset)) {
                givenUp--;
            }
            signal();
        }
    }

    /**
     * The record was given up without an outcome (the service is stopping): it stays pending, so its offset is
     * never committed, but it no longer counts as {@linkplain #unsettled unsettled}.
     */
    synchronized void giveUp(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        if (p != null && p.pending.containsKey(offset) && p.givenUp.add(offset)) {
            givenUp++;
            signal();
        }
    }

    /** The offset each partition may commit now (its first pending record, or the next one when none is). */
    synchronized Map<TopicPartition, Long> committable() {
        return committable(Map.of());
    }

    /**
     * The offset each partition may commit once the records {@code done} (offsets by partition) are committed:
     * the first pending record not among them, or the next one when there is none.
     */
    synchronized Map<TopicPartition, Long> committable(Map<TopicPartition, List<Long>> done) {
        Map<TopicPartition, Long> out = new HashMap<>();
        partitions.forEach((tp, p) -> {
            List<Long> finishing = done.getOrDefault(tp, List.of());
            long offset = p.pending.keySet().stream().filter(o -> !finishing.contains(o)).findFirst().orElse(p.next);
            if (offset >= 0) {
                out.put(tp, offset);
            }
        });
        return out;
    }

    /** Whether some partition may commit an offset beyond the one it committed last. */
    synchronized boolean moved() {
        return partitions.values().stream().anyMatch(p -> p.committable() > Math.max(p.committed, 0));
    }

    synchronized void committed(Map<TopicPartition, Long> offsets) {
        offsets.forEach((tp, offset) -> {
            Partition p = partitions.get(tp);
            if (p != null) {
                p.committed = Math.max(p.committed, offset);
            }
        });
    }

    /** Forget partitions no longer owned and return their pending offsets (the new owner handles them). */
    synchronized Map<TopicPartition, List<Long>> forget(Collection<TopicPartition> lost) {
        Map<TopicPartition, List<Long>> out = new HashMap<>();
        for (TopicPartition tp : lost) {
            Partition p = partitions.remove(tp);
            if (p != null) {
                out.put(tp, List.copyOf(p.pending.keySet()));
                pending -= p.pending.size();
                givenUp -= p.givenUp.size();
            }
        }
        signal();
        return out;
    }

    /** Completes once fewer than {@code capacity} records are pending. */
    synchronized CompletableFuture<Void> space(int capacity) {
        if (pending - givenUp < capacity) {
            return CompletableFuture.completedFuture(null);
        }
        Waiter waiter = new Waiter(capacity, new CompletableFuture<>());
        waiters.add(waiter);
        return waiter.space();
    }

    private void signal() {
        waiters.removeIf(w -> pending - givenUp < w.capacity() && w.space().complete(null));
    }

    synchronized int pending() {
        return pending;
    }

    /** Records pending and not given up: the ones whose outcome is still to come. */
    synchronized int unsettled() {
        return pending - givenUp;
    }

    synchronized Collection<TopicPartition> owned() {
        return List.copyOf(partitions.keySet());
    }

    /** When the oldest pending record was received ({@code System.nanoTime}), if any is pending. */
    synchronized OptionalLong oldestPendingNanos() {
        return partitions.values().stream().filter(p -> !p.pending.isEmpty())
                .mapToLong(p -> p.pending.firstEntry().getValue()).min();
    }

    /** Pending count per partition, for logs. */
    synchronized Map<TopicPartition, Integer> pendingByPartition() {
        Map<TopicPartition, Integer> out = new HashMap<>();
        partitions.forEach((tp, p) -> out.put(tp, p.pending.size()));
        return out;
    }
}
