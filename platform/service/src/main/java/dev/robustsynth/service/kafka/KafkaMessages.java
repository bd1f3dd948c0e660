package dev.robustsynth.service.kafka;

import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;

/** The service builds its outgoing records as {@link ProducerRecord}s; this turns one into a channel message. */
final class KafkaMessages {
    private KafkaMessages() {
    }

    /** A message with the record's value as payload (null for a tombstone) and its topic, key, headers, time. */
    static Message<byte[]> of(ProducerRecord<byte[], byte[]> record) {
        var metadata = OutgoingKafkaRecordMetadata.<byte[]>builder().withTopic(record.topic()).withKey(record.key())
                .withHeaders(record.headers());
        if (record.partition() != null) {
            metadata.withPartition(record.partition());
        }
        if (record.timestamp() != null) {
            metadata.withTimestamp(Instant.ofEpochMilli(record.timestamp()));
        }
        return Message.of(record.value()).addMetadata(metadata.build());
    }
}
