package dev.robustsynth.service.run;

import dev.robustsynth.service.intake.RecordRef;
import dev.robustsynth.service.intake.TaskEnvelope;
import dev.robustsynth.service.kafka.RecordOutcome;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** The tasks of this instance by id, from acceptance until their outcome is published. */
public final class InFlightTasks {
    /** What {@link #admit} did. */
    public enum Admission { NEW, FOLLOWING, DUPLICATE }

    private final ConcurrentHashMap<String, TaskHandle> byId = new ConcurrentHashMap<>();

    /**
     * Registers a task unless its id is in flight. A record whose id is in flight from the same partition follows
     * that task (it gets its outcome); from another partition it is a duplicate. The Kafka edge never hands over a
     * record that is still pending, and revocation abandons a partition's tasks, so one record has one task.
     */
    public synchronized Admission admit(TaskEnvelope envelope, ConsumerRecord<byte[], byte[]> record,
                                        Consumer<RecordOutcome> done,
                                        Consumer<TaskHandle> onNew) {
        TaskHandle existing = byId.get(envelope.id());
        if (existing != null) {
            if (existing.source().partition() != record.partition()
                    || !existing.source().topic().equals(record.topic())) {
                return Admission.DUPLICATE;
            }
            existing.follow(new TaskHandle.Follower(record, done));
            return Admission.FOLLOWING;
        }
        TaskHandle handle = new TaskHandle(envelope, record, done);
        byId.put(envelope.id(), handle);
        onNew.accept(handle);
        return Admission.NEW;
    }

    public Optional<TaskHandle> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Marks a task as asked to cancel; false when no task of that id is here. */
    public boolean cancel(String id) {
        TaskHandle handle = byId.get(id);
        if (handle == null) {
            return false;
        }
        handle.requestCancel();
        return true;
    }

    /** Abandons and forgets the tasks of records from these partitions; returns how many tasks that gives up. */
    public synchronized int abandon(Collection<TopicPartition> partitions) {
        int abandoned = 0;
        for (TaskHandle handle : all()) {
            RecordRef source = handle.source();
            if (partitions.contains(new TopicPartition(source.topic(), source.partition()))) {
                handle.abandon();
                remove(handle);
                abandoned++;
            }
        }
        return abandoned;
    }

    /** Forgets a task; returns its followers, which no longer join it. */
    synchronized List<TaskHandle.Follower> remove(TaskHandle handle) {
        byId.remove(handle.envelope().id(), handle);
        return handle.followers();
    }

    public int size() {
        return byId.size();
    }

    public long count(TaskHandle.State state) {
        return byId.values().stream().filter(h -> h.state() == state).count();
    }

    public Collection<TaskHandle> all() {
        return List.copyOf(byId.values());
    }
}
