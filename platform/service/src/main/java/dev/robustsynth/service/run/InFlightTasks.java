package dev.robustsynth.service.run;

import dev.robustsynth.service.intake.RecordRef;
import dev.robustsynth.service.intake.TaskEnvelope;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/** The tasks of this instance by id, from acceptance until their outcome is published. */
public final class InFlightTasks {
    /** What {@link #admit} did. */
    public enum Admission { NEW, DUPLICATE }

    private final ConcurrentHashMap<String, TaskHandle> byId = new ConcurrentHashMap<>();

    /**
     * Registers a task unless its id is in flight (then it is a duplicate). The consumer never hands over a record
     * that is still pending, and revocation abandons a partition's tasks, so one record has at most one task.
     */
    public synchronized Admission admit(TaskEnvelope envelope, ConsumerRecord<byte[], byte[]> record,
                                        Consumer<List<ProducerRecord<byte[], byte[]>>> done,
                                        Consumer<TaskHandle> onNew) {
        if (byId.containsKey(envelope.id())) {
            return Admission.DUPLICATE;
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

    /** Abandons and forgets the tasks of records from these partitions; returns how many there were. */
    public int abandon(Collection<TopicPartition> partitions) {
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

    void remove(TaskHandle handle) {
        byId.remove(handle.envelope().id(), handle);
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
