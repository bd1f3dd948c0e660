package dev.robustsynth.service.run;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.service.intake.FailureCode;
import dev.robustsynth.service.intake.Rejection;
import dev.robustsynth.service.intake.Stage;
import dev.robustsynth.service.intake.TaskEnvelope;
import dev.robustsynth.service.kafka.DeadLetter;
import dev.robustsynth.service.kafka.Publisher;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.service.message.Provenance;
import dev.robustsynth.service.message.ResultMessages;
import dev.robustsynth.service.message.RuntimeInfo;
import dev.robustsynth.spi.Progress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logging.Logger;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishes the outcome of a record: its result, and its dead letter where one is due. The returned future
 * completes normally only once both are on Kafka (a lost dead letter is logged and counted by the
 * {@link Publisher} and does not hold the record back). A result that fails to publish is retried with backoff
 * until it succeeds or the service stops, in which case the future fails and the record stays uncommitted.
 */
public final class OutcomePublisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(OutcomePublisher.class);

    private final Publisher publisher;
    private final ResultMessages messages;
    private final Function<String, RuntimeInfo> runtime;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rsynth-result-retry");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean stopping;

    /** @param runtime the runtime part of provenance for a model name */
    public OutcomePublisher(Publisher publisher, ResultMessages messages, Function<String, RuntimeInfo> runtime) {
        this.publisher = requireNonNull(publisher, "publisher is null");
        this.messages = requireNonNull(messages, "messages is null");
        this.runtime = requireNonNull(runtime, "runtime is null");
    }

    public CompletableFuture<Void> rejected(ConsumerRecord<byte[], byte[]> record, Rejection rejection) {
        ObjectNode result = messages.failure(rejection.id(), rejection.type(), rejection.code(), rejection.stage(),
                rejection.message(), Optional.empty());
        DeadLetter letter = new DeadLetter(rejection.code().name(), rejection.stage().wireName(),
                rejection.message(), Optional.of(rejection.type()).filter(t -> !t.isEmpty()),
                rejection.cause().map(c -> c.getClass().getName()));
        return publishResult(rejection.id(), Json.bytes(result))
                .thenCompose(m -> publisher.deadLetter(record, letter)).thenApply(m -> null);
    }

    public CompletableFuture<Void> finished(TaskHandle handle, RunOutcome outcome) {
        TaskEnvelope env = handle.envelope();
        Provenance provenance = provenance(env, outcome);
        byte[] bytes;
        RunOutcome effective = outcome;
        try {
            bytes = outcome.succeeded()
                    ? Json.bytes(messages.success(env.id(), env.type(), outcome.result().orElseThrow(), provenance))
                    : failureBytes(env, outcome, provenance);
        } catch (RuntimeException e) {
            LOG.errorf(e, "result of task %s could not be encoded", env.id());
            effective = RunOutcome.failure(FailureCode.INTERNAL, "the result of task '" + env.id()
                    + "' could not be encoded: " + e, e, outcome.startedAt(), outcome.steps());
            bytes = failureBytes(env, effective, provenance);
        }
        RunOutcome encoded = effective;
        return publishResult(env.id(), bytes)
                .thenApply(m -> encoded)
                .exceptionallyCompose(error -> {
                    if (stopping || !encoded.succeeded()) {
                        return CompletableFuture.failedFuture(error);
                    }
                    // e.g. a result above the broker's record limit: tell the client, and dead-letter the request
                    RunOutcome fallback = RunOutcome.failure(FailureCode.INTERNAL, "the result of task '" + env.id()
                            + "' could not be published: " + unwrap(error), unwrap(error), outcome.startedAt(),
                            outcome.steps());
                    return publishResult(env.id(), failureBytes(env, fallback, provenance)).thenApply(m -> fallback);
                })
                .thenCompose(published -> {
                    if (!published.deadLetter()) {
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    return publisher.deadLetter(handle.record(), new DeadLetter(
                            published.code().orElseThrow().name(), Stage.RUN.wireName(), published.message(),
                            Optional.of(env.type()), published.cause().map(c -> c.getClass().getName())))
                            .thenApply(m -> (Void) null);
                });
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
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

    public void progress(TaskHandle handle, Progress progress) {
        TaskEnvelope env = handle.envelope();
        publisher.progress(env.id(), Json.bytes(messages.progress(env.id(), env.type(), progress)));
    }

    private CompletableFuture<Void> publishResult(String id, byte[] bytes) {
        CompletableFuture<Void> outcome = new CompletableFuture<>();
        attempt(id, bytes, outcome, 1);
        return outcome;
    }

    private void attempt(String id, byte[] bytes, CompletableFuture<Void> outcome, int attempt) {
        publisher.result(id, bytes).whenComplete((metadata, error) -> {
            if (error == null) {
                outcome.complete(null);
                return;
            }
            Throwable cause = unwrap(error);
            boolean retriable = cause instanceof RetriableException || cause instanceof TimeoutException;
            if (cause instanceof RecordTooLargeException || !retriable || stopping) {
                LOG.errorf("result of task %s not published (attempt %d): %s%s", id, attempt, cause,
                        stopping ? "; the service is stopping, the request stays uncommitted" : "");
                outcome.completeExceptionally(cause);
                return;
            }
            long delay = Math.min(30_000, 500L << Math.min(6, attempt));
            LOG.warnf("result of task %s not published (attempt %d): %s; retrying in %d ms", id, attempt, cause,
                    delay);
            retries.schedule(() -> attempt(id, bytes, outcome, attempt + 1), delay, TimeUnit.MILLISECONDS);
        });
    }

    /** Stops retrying: pending retries fail and their records stay uncommitted. */
    @Override
    public void close() {
        stopping = true;
        retries.shutdownNow();
    }
}
