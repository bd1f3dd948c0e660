package dev.robustsynth.service.kafka;

import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

/**
 * The emitters of the {@code progress} and {@code attempts} channels. Emitters connect when SmallRye wires the
 * channels, after the service has started, so this bean is only created at the first send (through its client
 * proxy).
 */
@ApplicationScoped
public class ChannelSenders {
    /** Progress is fire and forget: past 1,024 waiting events, sends are refused (the caller counts them lost). */
    @Inject
    @Channel(KafkaChannelConfig.PROGRESS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1024)
    MutinyEmitter<byte[]> progress;

    @Inject
    @Channel(KafkaChannelConfig.ATTEMPTS)
    MutinyEmitter<byte[]> attempts;

    public CompletionStage<Void> progress(ProducerRecord<byte[], byte[]> record) {
        return send(progress, record);
    }

    public CompletionStage<Void> attempts(ProducerRecord<byte[], byte[]> record) {
        return send(attempts, record);
    }

    private static CompletionStage<Void> send(MutinyEmitter<byte[]> emitter, ProducerRecord<byte[], byte[]> record) {
        try {
            return emitter.sendMessage(KafkaMessages.of(record)).subscribeAsCompletionStage();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
