package dev.robustsynth.service.run;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.service.intake.FailureCode;
import dev.robustsynth.service.intake.Intake;
import dev.robustsynth.service.intake.Rejection;
import dev.robustsynth.service.intake.RequestIntake;
import dev.robustsynth.service.intake.Stage;
import dev.robustsynth.service.intake.TaskEnvelope;
import dev.robustsynth.service.kafka.RecordHandler;
import dev.robustsynth.service.metrics.ServiceMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The service's record handler: checks each record ({@link RequestIntake}), refuses duplicates of an id in flight,
 * queues accepted tasks on the {@link TaskRunner}, and publishes every outcome ({@link OutcomePublisher}) before
 * reporting the record done to the consumer.
 */
public final class TaskDispatcher implements RecordHandler {
    private static final Logger LOG = Logger.getLogger(TaskDispatcher.class);

    private final RequestIntake intake;
    private final InFlightTasks inFlight;
    private final OutcomePublisher outcomes;
    private final ServiceMetrics metrics;
    private final Limits limits;
    private final ExecutorService intakeThreads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("rsynth-intake-", 0).factory());
    private final AtomicInteger outstanding = new AtomicInteger();
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

    public TaskDispatcher(RequestIntake intake, InFlightTasks inFlight, TaskRunner runner, OutcomePublisher outcomes,
                          ServiceMetrics metrics, Limits limits) {
        this.intake = requireNonNull(intake, "intake is null");
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
    public void handle(ConsumerRecord<byte[], byte[]> record, int attempt, Runnable done) {
        outstanding.incrementAndGet();
        try {
            if (attempt > limits.maxAttempts()) {
                quarantine(record, attempt, done);
                return;
            }
            check(record).whenComplete((checked, error) -> {
                try {
                    if (error != null) {
                        reject(record, timedOut(record), done);
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

    private void admit(ConsumerRecord<byte[], byte[]> record, TaskEnvelope envelope, Runnable done) {
        if (!accepting) {
            outstanding.decrementAndGet(); // stopping: the record stays uncommitted for redelivery
            return;
        }
        InFlightTasks.Admission admission = inFlight.admit(envelope, record, done, this::run);
        if (admission == InFlightTasks.Admission.DUPLICATE) {
            RecordRefs refs = new RecordRefs(inFlight, envelope);
            reject(record, new Rejection(envelope.id(), envelope.type(), FailureCode.DUPLICATE_ID, Stage.VALIDATE,
                    "task id '" + envelope.id() + "' is already in flight (" + refs + "); use a new id for a new "
                    + "request", Optional.empty()), done);
        } else if (admission == InFlightTasks.Admission.SAME_RECORD) {
            outstanding.decrementAndGet(); // counted once, by the delivery that runs
            LOG.infof("record %s of task %s was delivered again while the task runs; it completes with the task",
                    envelope.source(), envelope.id());
        }
    }

    private void quarantine(ConsumerRecord<byte[], byte[]> record, int attempt, Runnable done) {
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

    /** Publishes the rejection; the record counts as outstanding already. */
    private void reject(ConsumerRecord<byte[], byte[]> record, Rejection rejection, Runnable done) {
        LOG.infof("rejected record %s-%d@%d (task '%s'): %s %s", record.topic(), record.partition(), record.offset(),
                rejection.id(), rejection.code(), rejection.message());
        metrics.outcome(rejection.type(), "rejected", rejection.code().name());
        metrics.deadLetter(rejection.code().name());
        CompletableFuture<Void> published;
        try {
            published = outcomes.rejected(record, rejection);
        } catch (Throwable t) {
            published = CompletableFuture.failedFuture(t);
        }
        complete(published, done, rejection.id());
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
        CompletableFuture<Void> published;
        try {
            published = outcomes.finished(handle, outcome);
        } catch (Throwable t) {
            LOG.errorf(t, "the outcome of task %s could not be built", handle.envelope().id());
            TaskEnvelope env = handle.envelope();
            published = outcomes.rejected(handle.record(), new Rejection(env.id(), env.type(), FailureCode.INTERNAL,
                    Stage.RUN, "the outcome of task '" + env.id() + "' could not be built: " + t, Optional.of(t)));
        }
        published.whenComplete((v, error) -> inFlight.remove(handle));
        complete(published, handle::completed, handle.envelope().id());
    }

    private void complete(CompletableFuture<Void> published, Runnable done, String id) {
        published.whenComplete((v, error) -> {
            try {
                if (error == null) {
                    done.run();
                } else {
                    LOG.errorf("the outcome of task '%s' was not published (%s); its record stays uncommitted and "
                            + "will be redelivered", id, error.toString());
                }
            } finally {
                outstanding.decrementAndGet();
            }
        });
    }

    @Override
    public void stopAccepting() {
        accepting = false;
        intakeThreads.shutdownNow();
        for (TaskHandle handle : runner.drainQueued()) {
            inFlight.remove(handle);
            outstanding.decrementAndGet();
            LOG.infof("task %s had not started; its record %s stays uncommitted for redelivery",
                    handle.envelope().id(), handle.source());
        }
    }

    @Override
    public boolean idle() {
        return outstanding.get() <= 0;
    }

    @Override
    public void abandon() {
        for (TaskHandle handle : inFlight.all()) {
            if (handle.state() == TaskHandle.State.RUNNING || handle.state() == TaskHandle.State.QUEUED) {
                handle.abandon();
                inFlight.remove(handle);
                LOG.warnf("task %s abandoned at shutdown; its record %s stays uncommitted for redelivery",
                        handle.envelope().id(), handle.source());
            }
        }
        outcomes.close();
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
