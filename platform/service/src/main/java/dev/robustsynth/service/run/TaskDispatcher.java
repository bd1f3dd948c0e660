package dev.robustsynth.service.run;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.service.intake.FailureCode;
import dev.robustsynth.service.intake.Intake;
import dev.robustsynth.service.intake.Rejection;
import dev.robustsynth.service.intake.RequestIntake;
import dev.robustsynth.service.intake.Stage;
import dev.robustsynth.service.intake.TaskEnvelope;
import dev.robustsynth.service.intake.RecordRef;
import dev.robustsynth.service.kafka.OutcomeIndex;
import dev.robustsynth.service.kafka.RecordHandler;
import dev.robustsynth.service.kafka.RecordOutcome;
import dev.robustsynth.service.metrics.ServiceMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The service's record handler, front to back: a record whose outcome is committed already publishes nothing; a
 * record past its attempts is quarantined; the rest is checked off the poll thread ({@link RequestIntake}, within
 * the intake timeout); an id with a committed outcome gets that outcome again; a duplicate of an id in flight is
 * refused; an accepted task runs on the {@link TaskRunner}; every outcome's records ({@link OutcomePublisher}) go
 * back to the Kafka edge, which commits them with the record's offset. Which records are pending is the edge's to
 * know (its offset ledger); which tasks are in flight is {@link InFlightTasks}'.
 */
public final class TaskDispatcher implements RecordHandler {
    private static final Logger LOG = Logger.getLogger(TaskDispatcher.class);

    private final RequestIntake intake;
    private final OutcomeIndex index;
    private final InFlightTasks inFlight;
    private final OutcomePublisher outcomes;
    private final ServiceMetrics metrics;
    private final Limits limits;
    private final ExecutorService intakeThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("rsynth-intake-", 0).factory());
    private final TaskRunner runner;
    private volatile boolean accepting = true;

    /**
     * @param intakeTimeout how long checking one record may take (rsynth.intake-timeout)
     * @param maxAttempts   deliveries beyond this many attempts are quarantined (rsynth.max-attempts)
     */
    public record Limits(Duration intakeTimeout, int maxAttempts) {
        public Limits {
            requireNonNull(intakeTimeout, "intakeTimeout is null");
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("rsynth.max-attempts must be ≥ 1, got " + maxAttempts);
            }
        }
    }

    public TaskDispatcher(RequestIntake intake, OutcomeIndex index, InFlightTasks inFlight, TaskRunner runner,
                          OutcomePublisher outcomes, ServiceMetrics metrics, Limits limits) {
        this.intake = requireNonNull(intake, "intake is null");
        this.index = requireNonNull(index, "index is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.inFlight = requireNonNull(inFlight, "inFlight is null");
        this.outcomes = requireNonNull(outcomes, "outcomes is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    /**
     * Quarantines a record past its attempts, else checks it off the poll thread (within the intake timeout) and
     * then admits or rejects it. Every Throwable on the way becomes a FAILED outcome of this record.
     */
    @Override
    public void handle(ConsumerRecord<byte[], byte[]> record, int attempt, Consumer<RecordOutcome> done) {
        try {
            Optional<String> answered = index.answered(RecordRef.of(record).toString());
            if (answered.isPresent()) {
                LOG.infof("record %s-%d@%d (task '%s') has a committed outcome already; it is not run again",
                        record.topic(), record.partition(), record.offset(), answered.get());
                publish(List.of(), done);
                return;
            }
            if (attempt > limits.maxAttempts()) {
                quarantine(record, attempt, done);
                return;
            }
            check(record).whenComplete((checked, error) -> {
                try {
                    if (error != null) {
                        reject(record, timedOut(record), done);
                    } else if (republish(record, checked.id(), done)) {
                        return;
                    } else if (checked instanceof Rejection rejection) {
                        reject(record, rejection, done);
                    } else {
                        admit(record, (TaskEnvelope) checked, done);
                    }
                } catch (Throwable t) {
                    reject(record, internal(record, t), done);
                }
            });
        } catch (Throwable t) {
            reject(record, internal(record, t), done);
        }
    }

    /** The intake's verdict, on an intake thread; fails with a TimeoutException past the intake timeout. */
    private CompletableFuture<Intake> check(ConsumerRecord<byte[], byte[]> record) {
        Instant receivedAt = Instant.now();
        CompletableFuture<Intake> checked = new CompletableFuture<>();
        Future<?> work = intakeThreads.submit(() -> checked.complete(intake.check(record, receivedAt)));
        checked.orTimeout(limits.intakeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((i, error) -> work.cancel(true));
        return checked;
    }

    /**
     * A new record with an id whose outcome is committed gets that first outcome again, and does not run: one
     * outcome per id, whatever the resubmission says.
     */
    private boolean republish(ConsumerRecord<byte[], byte[]> record, String id, Consumer<RecordOutcome> done) {
        Optional<byte[]> value = index.firstOutcome(id, Duration.ofSeconds(10));
        if (value.isEmpty()) {
            return false;
        }
        LOG.infof("task '%s' has an outcome already; record %s-%d@%d gets it again", id, record.topic(),
                record.partition(), record.offset());
        metrics.outcome("", "republished", "none");
        publish(List.of(outcomes.republished(id, value.get(), record)), done);
        return true;
    }

    private void admit(ConsumerRecord<byte[], byte[]> record, TaskEnvelope envelope, Consumer<RecordOutcome> done) {
        if (!accepting) {
            done.accept(new RecordOutcome.GiveUp()); // stopping: the record stays uncommitted for redelivery
            return;
        }
        InFlightTasks.Admission admission = inFlight.admit(envelope, record, done, this::run);
        if (admission == InFlightTasks.Admission.FOLLOWING) {
            LOG.infof("task '%s' is in flight; record %s-%d@%d gets its outcome", envelope.id(), record.topic(),
                    record.partition(), record.offset());
        } else if (admission == InFlightTasks.Admission.DUPLICATE) {
            RecordRefs refs = new RecordRefs(inFlight, envelope);
            reject(record, new Rejection(envelope.id(), envelope.type(), FailureCode.DUPLICATE_ID, Stage.VALIDATE,
                    "task id '" + envelope.id() + "' is already in flight (" + refs + "); use a new id for a new "
                    + "request", Optional.empty()), done);
        }
    }

    private void quarantine(ConsumerRecord<byte[], byte[]> record, int attempt, Consumer<RecordOutcome> done) {
        LOG.errorf("record %s-%d@%d was being handled each of the %d times the service stopped without an outcome;"
                + " quarantining it", record.topic(), record.partition(), record.offset(), attempt - 1);
        metrics.quarantined();
        reject(record, new Rejection(RequestIntake.fallbackId(record), "", FailureCode.POISON_RECORD, Stage.RUN,
                "the service stopped while handling this record in each of its last " + (attempt - 1)
                + " attempts (rsynth.max-attempts = " + limits.maxAttempts() + "); it is quarantined and will not "
                + "run again", Optional.empty()), done);
    }

    private Rejection timedOut(ConsumerRecord<byte[], byte[]> record) {
        return new Rejection(RequestIntake.fallbackId(record), "", FailureCode.INTAKE_TIMEOUT, Stage.VALIDATE,
                "checking the request took longer than " + limits.intakeTimeout() + " (rsynth.intake-timeout); "
                + "send smaller images, inline", Optional.empty());
    }

    private static Rejection internal(ConsumerRecord<byte[], byte[]> record, Throwable t) {
        LOG.errorf(t, "handling record %s-%d@%d failed", record.topic(), record.partition(), record.offset());
        return new Rejection(RequestIntake.fallbackId(record), "", FailureCode.INTERNAL, Stage.VALIDATE,
                "the request could not be handled: " + t, Optional.of(t));
    }

    /** Publishes the rejection. */
    private void reject(ConsumerRecord<byte[], byte[]> record, Rejection rejection, Consumer<RecordOutcome> done) {
        LOG.infof("rejected record %s-%d@%d (task '%s'): %s %s", record.topic(), record.partition(), record.offset(),
                rejection.id(), rejection.code(), rejection.message());
        metrics.outcome(rejection.type(), "rejected", rejection.code().name());
        metrics.deadLetter(rejection.code().name());
        publish(outcomes.rejected(record, rejection), done);
    }

    private void run(TaskHandle handle) {
        runner.submit(handle).thenAccept(outcome -> finished(handle, outcome));
    }

    private void finished(TaskHandle handle, RunOutcome outcome) {
        String type = handle.envelope().type();
        metrics.outcome(type, outcome.outcomeName(), outcome.code().map(Enum::name).orElse("none"));
        metrics.duration(type, outcome.outcomeName(), Duration.between(outcome.startedAt(), outcome.finishedAt()));
        if (outcome.deadLetter()) {
            metrics.deadLetter(outcome.code().orElseThrow().name());
        }
        List<ProducerRecord<byte[], byte[]>> records;
        try {
            records = outcomes.finished(handle, outcome);
        } catch (Throwable t) {
            LOG.errorf(t, "the outcome of task %s could not be built", handle.envelope().id());
            TaskEnvelope env = handle.envelope();
            records = outcomes.rejected(handle.record(), new Rejection(env.id(), env.type(), FailureCode.INTERNAL,
                    Stage.RUN, "the outcome of task '" + env.id() + "' could not be built: " + t, Optional.of(t)));
        }
        List<TaskHandle.Follower> followers = inFlight.remove(handle);
        handle.completed(new RecordOutcome.Publish(records, handle.envelope().job().isPresent()));
        for (TaskHandle.Follower f : followers) {
            publish(List.of(outcomes.republished(handle.envelope().id(), records.get(0).value(), f.record())),
                    f.done());
        }
    }

    /** Hands a record's outcome to the Kafka edge, which commits it with the record's offset. */
    private static void publish(List<ProducerRecord<byte[], byte[]>> records, Consumer<RecordOutcome> done) {
        done.accept(new RecordOutcome.Publish(records));
    }

    @Override
    public void stopAccepting() {
        accepting = false;
        for (TaskHandle handle : runner.drainQueued()) {
            List<TaskHandle.Follower> followers = inFlight.remove(handle);
            handle.completed(new RecordOutcome.GiveUp());
            followers.forEach(f -> f.done().accept(new RecordOutcome.GiveUp()));
            LOG.infof("task %s had not started; its record %s stays uncommitted for redelivery",
                    handle.envelope().id(), handle.source());
        }
    }

    @Override
    public void abandon(Collection<TopicPartition> partitions) {
        int abandoned = inFlight.abandon(partitions);
        if (abandoned > 0) {
            LOG.infof("%d task(s) of %s cancelled; they publish nothing, the partitions' next owner runs them",
                    abandoned, partitions);
        }
    }

    public boolean accepting() {
        return accepting;
    }

    public InFlightTasks inFlight() {
        return inFlight;
    }

    /** For the duplicate message: where the task in flight came from. */
    private record RecordRefs(InFlightTasks inFlight, TaskEnvelope duplicate) {
        @Override
        public String toString() {
            return inFlight.get(duplicate.id()).map(h -> "record " + h.source()).orElse("finishing");
        }
    }
}
