package dev.robustsynth.service.kafka;

import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends one record on an outgoing channel; the stage completes when the broker has acknowledged it. */
@FunctionalInterface
public interface RecordSender {
    CompletionStage<Void> send(ProducerRecord<byte[], byte[]> record);
}
