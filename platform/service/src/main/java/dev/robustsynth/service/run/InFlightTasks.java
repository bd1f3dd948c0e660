package dev.robustsynth.service.run;

import dev.robustsynth.service.intake.TaskEnvelope;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The tasks of this instance by id, from acceptance until their outcome is published. */
public final class InFlightTasks {
    /** What {@link #admit} did. */
    public enum Admission { NEW, SAME_RECORD, DUPLICATE }

    private final ConcurrentHashMap<String, TaskHandle> byId = new ConcurrentHashMap<>();

    /**
     * Registers a task unless its id is in flight. A second delivery of the same record (same topic, partition and
     * offset, after a rebalance) joins the running task; another record with the same id is a duplicate.
     */
    public synchronized Admission admit(TaskEnvelope envelope, ConsumerRecord<byte[], byte[]> record, Runnable done,
                                        java.util.function.Consumer<TaskHandle> onNew) {
        TaskHandle existing = byId.get(envelope.id());
        if (existing != null) {
            if (existing.source().equals(envelope.source())) {
                existing.alsoOnDone(done);
                return Admission.SAME_RECORD;
            }
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
