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
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * The service's record handler: checks each record ({@link RequestIntake}), refuses duplicates of an id in flight,
 * queues accepted tasks on the {@link TaskRunner}, and publishes every outcome ({@link OutcomePublisher}) before
 * reporting the record done to the consumer.
 */
public final class TaskDispatcher implements RecordHandler, TaskRunner.Listener {
    private static final Logger LOG = Logger.getLogger(TaskDispatcher.class);

    private final RequestIntake intake;
    private final InFlightTasks inFlight;
    private final OutcomePublisher outcomes;
    private final ServiceMetrics metrics;
    private final AtomicInteger outstanding = new AtomicInteger();
    private TaskRunner runner;
    private volatile boolean accepting = true;

    public TaskDispatcher(RequestIntake intake, InFlightTasks inFlight, OutcomePublisher outcomes,
                          ServiceMetrics metrics) {
        this.intake = requireNonNull(intake, "intake is null");
        this.inFlight = requireNonNull(inFlight, "inFlight is null");
        this.outcomes = requireNonNull(outcomes, "outcomes is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    /** The runner this dispatcher feeds (it also listens to it); set once before the consumer starts. */
    public void runner(TaskRunner runner) {
        this.runner = requireNonNull(runner, "runner is null");
    }

    @Override
    public void handle(ConsumerRecord<byte[], byte[]> record, Runnable done) {
        Intake checked = intake.check(record, Instant.now());
        if (checked instanceof Rejection rejection) {
            reject(record, rejection, done);
            return;
        }
        TaskEnvelope envelope = (TaskEnvelope) checked;
        InFlightTasks.Admission admission = inFlight.admit(envelope, record, done, handle -> {
            outstanding.incrementAndGet();
            runner.submit(handle);
        });
        if (admission == InFlightTasks.Admission.DUPLICATE) {
            RecordRefs refs = new RecordRefs(inFlight, envelope);
            reject(record, new Rejection(envelope.id(), envelope.type(), FailureCode.DUPLICATE_ID, Stage.VALIDATE,
                    "task id '" + envelope.id() + "' is already in flight (" + refs + "); use a new id for a new "
                    + "request", Optional.empty()), done);
        } else if (admission == InFlightTasks.Admission.SAME_RECORD) {
            LOG.infof("record %s of task %s was delivered again while the task runs; it completes with the task",
                    envelope.source(), envelope.id());
        }
    }

    private void reject(ConsumerRecord<byte[], byte[]> record, Rejection rejection, Runnable done) {
        outstanding.incrementAndGet();
        LOG.infof("rejected record %s-%d@%d (task '%s'): %s %s", record.topic(), record.partition(), record.offset(),
                rejection.id(), rejection.code(), rejection.message());
        metrics.outcome(rejection.type(), "rejected", rejection.code().name());
        metrics.deadLetter(rejection.code().name());
        complete(outcomes.rejected(record, rejection), done, rejection.id());
    }

    @Override
    public void started(TaskHandle handle, Duration queueWait) {
        metrics.queueWait(handle.envelope().type(), queueWait);
    }

    @Override
    public void finished(TaskHandle handle, RunOutcome outcome) {
        String type = handle.envelope().type();
        metrics.outcome(type, outcome.outcomeName(), outcome.code().map(Enum::name).orElse("none"));
        metrics.duration(type, outcome.outcomeName(), Duration.between(outcome.startedAt(), outcome.finishedAt()));
        if (outcome.deadLetter()) {
            metrics.deadLetter(outcome.code().orElseThrow().name());
        }
        CompletableFuture<Void> published = outcomes.finished(handle, outcome);
        published.whenComplete((v, error) -> inFlight.remove(handle));
        complete(published, handle::completed, handle.envelope().id());
    }

    /** Progress of a running task, straight to the progress topic. */
    public void progress(TaskHandle handle, dev.robustsynth.spi.Progress progress) {
        outcomes.progress(handle, progress);
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
