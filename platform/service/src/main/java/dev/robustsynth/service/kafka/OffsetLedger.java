package dev.robustsynth.service.kafka;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each owned partition have their outcome published. Records complete out of order (tasks run in
 * parallel); the offset committed for a partition is the first one still pending, so a record is never committed
 * before its outcome is on Kafka. Used by the poll thread only.
 */
final class OffsetLedger {
    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    private static final class Partition {
        final java.util.TreeMap<Long, Long> pending = new java.util.TreeMap<>(); // offset -> nanoTime received
        long next = -1;
        long committed = -1;

        long committable() {
            return pending.isEmpty() ? next : pending.firstKey();
        }
    }

    /** A record was received and is now pending. */
    void track(TopicPartition tp, long offset) {
        Partition p = partitions.computeIfAbsent(tp, t -> new Partition());
        p.pending.putIfAbsent(offset, System.nanoTime());
        p.next = Math.max(p.next, offset + 1);
    }

    /** The outcome of a record is published; ignored for a partition no longer owned. */
    void done(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        if (p != null) {
            p.pending.remove(offset);
        }
    }

    /** A record marked done whose outcome could not be committed is pending again. */
    void restore(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        if (p != null && offset >= p.committed) {
            p.pending.putIfAbsent(offset, System.nanoTime());
        }
    }

    boolean isPending(TopicPartition tp, long offset) {
        Partition p = partitions.get(tp);
        return p != null && p.pending.containsKey(offset);
    }

    /** Offsets that moved since the last commit. */
    Map<TopicPartition, OffsetAndMetadata> toCommit() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach((tp, p) -> {
            long offset = p.committable();
            if (offset >= 0 && offset > p.committed) {
                out.put(tp, new OffsetAndMetadata(offset));
            }
        });
        return out;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((tp, o) -> {
            Partition p = partitions.get(tp);
            if (p != null) {
                p.committed = Math.max(p.committed, o.offset());
            }
        });
    }

    /** Forget partitions the consumer lost; their pending records will be redelivered to the new owner. */
    void forget(Collection<TopicPartition> lost) {
        lost.forEach(partitions::remove);
    }

    /** Records received whose outcome is not yet published. */
    int pending() {
        return partitions.values().stream().mapToInt(p -> p.pending.size()).sum();
    }

    /** The pending offsets of each partition. */
    Map<TopicPartition, java.util.List<Long>> pendingOffsets() {
        Map<TopicPartition, java.util.List<Long>> out = new HashMap<>();
        partitions.forEach((tp, p) -> out.put(tp, java.util.List.copyOf(p.pending.keySet())));
        return out;
    }

    /** When the oldest pending record was received ({@code System.nanoTime}), if any is pending. */
    java.util.OptionalLong oldestPendingNanos() {
        return partitions.values().stream().filter(p -> !p.pending.isEmpty())
                .mapToLong(p -> p.pending.firstEntry().getValue()).min();
    }

    /** Pending count per partition, for logs. */
    Map<TopicPartition, Integer> pendingByPartition() {
        Map<TopicPartition, Integer> out = new HashMap<>();
        partitions.forEach((tp, p) -> out.put(tp, p.pending.size()));
        return out;
    }
}
