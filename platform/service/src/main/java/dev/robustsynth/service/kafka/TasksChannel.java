package dev.robustsynth.service.kafka;

import dev.robustsynth.service.ServiceLifecycle;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The {@code tasks} channel, front to back: a record is tracked by the {@link OutcomeCommitter} (skipped when its
 * partition is not held here or it is pending already), its attempt count is raised and acknowledged on Kafka
 * ({@link AttemptLog}), then it goes to the {@link RecordHandler}, which hands its outcome back to the committer.
 * The next record is taken once fewer than {@code rsynth.worker-threads + rsynth.queue-capacity} records are pending;
 * until then SmallRye pauses the partitions. Offsets are committed only by the committer's transactions
 * ({@code commit-strategy=ignore}), so acknowledging a message here commits nothing.
 */
@ApplicationScoped
public class TasksChannel {
    @Inject
    OutcomeCommitter committer;

    @Inject
    ServiceLifecycle lifecycle;

    @Incoming(KafkaChannelConfig.TASKS)
    public CompletionStage<Void> onRecord(Message<byte[]> message) {
        ConsumerRecord<byte[], byte[]> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> (ConsumerRecord<byte[], byte[]>) m.getRecord()).orElseThrow();
        OptionalLong epoch = committer.receive(record);
        CompletionStage<Void> accepted = epoch.isEmpty() ? CompletableFuture.completedFuture(null)
                : lifecycle.assembly().attempts().begin(record).thenAccept(attempt -> lifecycle.assembly()
                        .dispatcher().handle(record, attempt,
                                outcome -> committer.finished(record, epoch.getAsLong(), outcome)))
                        .thenCompose(handed -> committer.space());
        return accepted.thenCompose(ready -> message.ack());
    }
}
