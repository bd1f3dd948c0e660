package dev.robustsynth.service.kafka;

import io.smallrye.reactive.messaging.MutinyEmitter;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends one record on an outgoing channel; the stage completes when the broker has acknowledged it. */
@FunctionalInterface
public interface RecordSender {
    CompletionStage<Void> send(ProducerRecord<byte[], byte[]> record);

    /** Sends through a channel's emitter; a refused send (a full buffer, a closed channel) fails the stage. */
    static RecordSender of(MutinyEmitter<byte[]> emitter) {
        return record -> {
            try {
                return emitter.sendMessage(KafkaMessages.of(record)).subscribeAsCompletionStage();
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        };
    }
}
