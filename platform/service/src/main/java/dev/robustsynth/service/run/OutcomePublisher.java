package dev.robustsynth.service.run;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.service.intake.FailureCode;
import dev.robustsynth.service.intake.RecordRef;
import dev.robustsynth.service.intake.Rejection;
import dev.robustsynth.service.intake.Stage;
import dev.robustsynth.service.intake.TaskEnvelope;
import dev.robustsynth.service.kafka.DeadLetter;
import dev.robustsynth.service.kafka.OutcomeRecords;
import dev.robustsynth.service.kafka.RecordSender;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.service.message.Provenance;
import dev.robustsynth.service.message.ResultMessages;
import dev.robustsynth.service.message.RuntimeInfo;
import dev.robustsynth.spi.Progress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the records of a request's outcome: its result (answering the request record, for the
 * {@link dev.robustsynth.service.kafka.OutcomeIndex}) and its dead letter where one is due, which the Kafka edge
 * commits in one transaction with the request's offset; and sends progress events. A result larger than a record may be becomes an INTERNAL failure.
 */
public final class OutcomePublisher {
    private static final Logger LOG = Logger.getLogger(OutcomePublisher.class);

    private final OutcomeRecords publisher;
    private final RecordSender progress;
    private final AtomicLong progressLost = new AtomicLong();
    private final ResultMessages messages;
    private final Function<String, RuntimeInfo> runtime;
    private final int maxResultBytes;

    /**
     * @param progress       where progress events go (fire and forget: a lost one is counted, never retried)
     * @param runtime        the runtime part of provenance for a model name
     * @param maxResultBytes the largest result record value the producer may send
     */
    public OutcomePublisher(OutcomeRecords records, RecordSender progress, ResultMessages messages,
                            Function<String, RuntimeInfo> runtime, int maxResultBytes) {
        this.publisher = requireNonNull(records, "records is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.messages = requireNonNull(messages, "messages is null");
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.maxResultBytes = maxResultBytes;
    }

    public List<ProducerRecord<byte[], byte[]>> rejected(ConsumerRecord<byte[], byte[]> record, Rejection rejection) {
        ObjectNode result = messages.failure(rejection.id(), rejection.type(), rejection.code(), rejection.stage(),
                rejection.message(), Optional.empty());
        DeadLetter letter = new DeadLetter(rejection.code().name(), rejection.stage().wireName(),
                rejection.message(), Optional.of(rejection.type()).filter(t -> !t.isEmpty()),
                rejection.cause().map(c -> c.getClass().getName()));
        return List.of(publisher.result(rejection.id(), Json.bytes(result), RecordRef.of(record).toString()),
                publisher.deadLetter(record, letter));
    }

    /** The first outcome of {@code id} again, answering a resubmission of the id. */
    public ProducerRecord<byte[], byte[]> republished(String id, byte[] firstOutcome,
                                                      ConsumerRecord<byte[], byte[]> record) {
        return publisher.result(id, firstOutcome, RecordRef.of(record).toString());
    }

    public List<ProducerRecord<byte[], byte[]>> finished(TaskHandle handle, RunOutcome outcome) {
        TaskEnvelope env = handle.envelope();
        Provenance provenance = provenance(env, outcome);
        byte[] bytes;
        RunOutcome effective = outcome;
        try {
            bytes = outcome.succeeded()
                    ? Json.bytes(messages.success(env.id(), env.type(), outcome.result().orElseThrow(), provenance))
                    : failureBytes(env, outcome, provenance);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            LOG.errorf(e, "result of task %s could not be encoded", env.id());
            effective = RunOutcome.failure(FailureCode.INTERNAL, "the result of task '" + env.id()
                    + "' could not be encoded: " + e, e, outcome.startedAt(), outcome.steps());
            bytes = failureBytes(env, effective, provenance);
        }
        if (bytes.length > maxResultBytes) {
            effective = RunOutcome.failure(FailureCode.INTERNAL, "the result of task '" + env.id() + "' is "
                    + bytes.length + " bytes; a result record may have at most " + maxResultBytes,
                    null, outcome.startedAt(), outcome.steps());
            bytes = failureBytes(env, effective, provenance);
        }
        String answers = RecordRef.of(handle.record()).toString();
        if (!effective.deadLetter()) {
            return List.of(publisher.result(env.id(), bytes, answers));
        }
        return List.of(publisher.result(env.id(), bytes, answers), publisher.deadLetter(handle.record(),
                new DeadLetter(effective.code().orElseThrow().name(), Stage.RUN.wireName(), effective.message(),
                        Optional.of(env.type()), effective.cause().map(c -> c.getClass().getName()))));
    }

    private byte[] failureBytes(TaskEnvelope env, RunOutcome outcome, Provenance provenance) {
        return Json.bytes(messages.failure(env.id(), env.type(), outcome.code().orElseThrow(), Stage.RUN,
                outcome.message(), Optional.of(provenance)));
    }

    private Provenance provenance(TaskEnvelope env, RunOutcome outcome) {
        return new Provenance(env.factory().pluginName(), env.factory().descriptor().version(),
                env.factory().pluginSpiVersion(), env.model().name(), env.model().sha256(), env.provenanceParams(),
                env.request().seed(), outcome.steps(), env.receivedAt(), outcome.startedAt(), outcome.finishedAt(),
                env.source(), runtime.apply(env.model().name()));
    }

    public void progress(TaskHandle handle, Progress step) {
        TaskEnvelope env = handle.envelope();
        progress.send(publisher.progress(env.id(), Json.bytes(messages.progress(env.id(), env.type(), step))))
                .exceptionally(e -> {
                    progressLost.incrementAndGet();
                    LOG.debugf("progress event of %s lost: %s", env.id(), e.toString());
                    return null;
                });
    }

    /** Progress events that could not be sent. */
    public long progressLost() {
        return progressLost.get();
    }

}
