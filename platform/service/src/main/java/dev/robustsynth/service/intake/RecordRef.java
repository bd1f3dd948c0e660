package dev.robustsynth.service.intake;

import static java.util.Objects.requireNonNull;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Where a request record came from. */
public record RecordRef(String topic, int partition, long offset) {
    public RecordRef {
        requireNonNull(topic, "topic is null");
    }

    public static RecordRef of(ConsumerRecord<?, ?> record) {
        return new RecordRef(record.topic(), record.partition(), record.offset());
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset;
    }
}
