package dev.robustsynth.service.run;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.pluginhost.HostedFactory;
import dev.robustsynth.pluginhost.PreparedTask;
import dev.robustsynth.service.intake.FailureCode;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ValidationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs plugin code, a factory's {@code validate} and a task's {@code run}, on a platform thread of its own, so the
 * thread that asked for it (an intake thread, a worker) only watches it and always gets an answer:
 * <ul>
 *   <li>a task that runs past {@code rsynth.task-timeout} is told to stop (its context and model facade report
 *       a stop) and interrupted, and fails with {@code PLUGIN_TIMEOUT};</li>
 *   <li>plugin code told to stop (that timeout, a cancel, a revoked partition, the intake deadline during
 *       validate) that has not ended {@code rsynth.task-stop-grace} later is <em>abandoned</em>: its thread runs
 *       on, whatever it returns is discarded, and the worker takes the next task. A cancelled task abandoned so
 *       fails with {@code PLUGIN_TIMEOUT};</li>
 *   <li>a JVM {@code Error} thrown by plugin code is its caller's to turn into {@code PLUGIN_ERROR}.</li>
 * </ul>
 * Abandoned threads still running are counted; past {@code rsynth.max-abandoned-workers} the service needs a
 * restart ({@link #overLimit()}, liveness check {@code rsynth-workers}), since they hold memory and CPU that
 * nothing can take back from them.
 */
public final class PluginWatchdog {
    private static final Logger LOG = Logger.getLogger(PluginWatchdog.class);
    /** How often a waiting worker looks at its task's cancel and abandon flags. */
    private static final Duration POLL = Duration.ofMillis(50);

    /**
     * @param taskTimeout  longest run of one task's plugin code (rsynth.task-timeout)
     * @param stopGrace    how long plugin code told to stop may take to end (rsynth.task-stop-grace)
     * @param maxAbandoned abandoned threads still running beyond which the service needs a restart
     *                     (rsynth.max-abandoned-workers)
     */
    public record Limits(Duration taskTimeout, Duration stopGrace, int maxAbandoned) {
        public Limits {
            requireNonNull(taskTimeout, "taskTimeout is null");
            requireNonNull(stopGrace, "stopGrace is null");
            if (taskTimeout.isNegative() || taskTimeout.isZero()) {
                throw new IllegalArgumentException("rsynth.task-timeout must be positive, got " + taskTimeout);
            }
            if (stopGrace.isNegative()) {
                throw new IllegalArgumentException("rsynth.task-stop-grace must not be negative, got " + stopGrace);
            }
            if (maxAbandoned < 0) {
                throw new IllegalArgumentException("rsynth.max-abandoned-workers must be ≥ 0, got " + maxAbandoned);
            }
        }
    }

    private final Limits limits;
    private final AtomicInteger abandoned = new AtomicInteger();
    private final AtomicLong abandonedTotal = new AtomicLong();
    private final AtomicInteger watched = new AtomicInteger();
    private final AtomicLong names = new AtomicLong();

    public PluginWatchdog(Limits limits) {
        this.limits = requireNonNull(limits, "limits is null");
    }

    public Limits limits() {
        return limits;
    }

    /** Abandoned plugin threads that are still running. */
    public int abandoned() {
        return abandoned.get();
    }

    /** Plugin threads abandoned since start, ended or not. */
    public long abandonedTotal() {
        return abandonedTotal.get();
    }

    /** Plugin calls running now and not abandoned. */
    public int watched() {
        return watched.get();
    }

    /** More abandoned threads run than rsynth.max-abandoned-workers allows: the process needs a restart. */
    public boolean overLimit() {
        return abandoned.get() > limits.maxAbandoned();
    }

    /**
     * Runs a factory's {@code validate} on a thread of its own and waits for it. An interrupt of the waiting thread
     * (the intake deadline) is passed on; if validate has not ended {@code rsynth.task-stop-grace} later, its thread
     * is abandoned.
     *
     * @throws InvalidParametersException from the factory's checks
     * @throws InterruptedException       when the waiting thread was interrupted (validate is told to stop)
     */
    public PreparedTask validate(HostedFactory factory, ValidationContext context)
            throws InvalidParametersException, InterruptedException {
        String what = "validate of task '" + context.request().id() + "' (type '" + factory.type() + "', plugin '"
                + factory.pluginName() + "')";
        Watched<PreparedTask> call = start("rsynth-validate-", what, () -> factory.prepare(context));
        try {
            return call.result.get();
        } catch (InterruptedException e) {
            call.thread.interrupt();
            Thread.ofVirtual().name("rsynth-watchdog-validate").start(() -> {
                try {
                    if (!call.thread.join(limits.stopGrace().plusMillis(1))) {
                        call.abandon("the intake timeout");
                    }
                } catch (InterruptedException stopped) {
                    Thread.currentThread().interrupt();
                }
            });
            throw e;
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case InvalidParametersException invalid -> throw invalid;
                case RuntimeException runtime -> throw runtime;
                case Error error -> throw error;
                default -> throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /**
     * Runs a task's plugin code on a thread of its own and watches it from the calling worker until it ends, runs
     * past the task timeout, or is stopped (cancel, abandon) and does not end within the stop grace.
     *
     * @param startedAt when the worker took the task (the timeout counts from here)
     * @param steps     the task's optimisation steps so far, for the outcome
     * @param body      the plugin code; it turns the plugin's own failures into outcomes
     * @return the outcome to publish (an abandoned task publishes nothing, whatever this is)
     */
    RunOutcome run(TaskHandle handle, Instant startedAt, LongSupplier steps, Supplier<RunOutcome> body) {
        String id = handle.envelope().id();
        String what = "task '" + id + "' (type '" + handle.envelope().type() + "', plugin '"
                + handle.envelope().factory().pluginName() + "')";
        Watched<RunOutcome> call = start("rsynth-plugin-", what, body::get);
        Instant deadline = startedAt.plus(limits.taskTimeout());
        Stop stop;
        try {
            stop = awaitStop(call, handle, deadline);
            if (stop == null) {
                return outcomeOf(call, startedAt, steps);
            }
            if (stop == Stop.TIMED_OUT) {
                handle.giveUp();
                call.thread.interrupt();
            }
            if (!ended(call, limits.stopGrace())) {
                if (stop == Stop.CANCELLED) {
                    handle.giveUp();
                    call.thread.interrupt();
                }
                if (call.abandon(stop.why)) {
                    return RunOutcome.failure(FailureCode.PLUGIN_TIMEOUT, what + " " + stop.sentence(limits)
                            + " and did not stop within " + limits.stopGrace() + " (rsynth.task-stop-grace); its "
                            + "thread is abandoned and its worker takes the next task", null, startedAt,
                            steps.getAsLong());
                }
            }
        } catch (InterruptedException e) { // the runner is closing
            call.thread.interrupt();
            Thread.currentThread().interrupt();
            return RunOutcome.failure(FailureCode.UNAVAILABLE, what + " was stopped: the service is stopping", e,
                    startedAt, steps.getAsLong());
        }
        if (stop == Stop.TIMED_OUT) {
            return RunOutcome.failure(FailureCode.PLUGIN_TIMEOUT, what + " " + stop.sentence(limits)
                    + "; it was stopped", null, startedAt, steps.getAsLong());
        }
        return outcomeOf(call, startedAt, steps);
    }

    /** Why a worker stopped waiting for its task to end on its own. */
    private enum Stop {
        TIMED_OUT("the task timeout"), CANCELLED("a cancel"), ABANDONED("an abandon");

        final String why;

        Stop(String why) {
            this.why = why;
        }

        String sentence(Limits limits) {
            return switch (this) {
                case TIMED_OUT -> "ran longer than " + limits.taskTimeout() + " (rsynth.task-timeout)";
                case CANCELLED -> "was cancelled";
                case ABANDONED -> "was abandoned (its partition was revoked, or the service is stopping)";
            };
        }
    }

    /** Waits until the call ends (null) or the task must stop: a cancel, an abandon, or the deadline. */
    private static Stop awaitStop(Watched<RunOutcome> call, TaskHandle handle, Instant deadline)
            throws InterruptedException {
        while (true) {
            if (handle.abandoned()) {
                return Stop.ABANDONED;
            }
            if (handle.cancelRequested()) {
                return Stop.CANCELLED;
            }
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                return Stop.TIMED_OUT;
            }
            if (ended(call, left.compareTo(POLL) < 0 ? left : POLL)) {
                return null;
            }
        }
    }

    /**
     * Whether the call's thread ended within {@code wait}; its result is complete by then. A join, not a timed
     * {@code get} of the result: the worker waits this way every {@link #POLL} for as long as its task runs, and a
     * timed-out {@code get} throws an exception each time.
     */
    private static boolean ended(Watched<?> call, Duration wait) throws InterruptedException {
        return call.thread.join(wait);
    }

    private static RunOutcome outcomeOf(Watched<RunOutcome> call, Instant startedAt, LongSupplier steps) {
        try {
            return call.result.join();
        } catch (RuntimeException e) { // the body turns plugin failures into outcomes; this is a host bug
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return RunOutcome.failure(FailureCode.INTERNAL, call.what + " could not run: " + cause, cause, startedAt,
                    steps.getAsLong());
        }
    }

    private <T> Watched<T> start(String prefix, String what, Callable<T> body) {
        Watched<T> call = new Watched<>(prefix + names.incrementAndGet(), what, body);
        watched.incrementAndGet();
        call.thread.start();
        return call;
    }

    private enum State { RUNNING, ENDED, ABANDONED }

    /** One call of plugin code on its own thread. */
    private final class Watched<T> {
        final CompletableFuture<T> result = new CompletableFuture<>();
        final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
        final String what;
        final Thread thread;
        volatile Instant abandonedAt;

        Watched(String name, String what, Callable<T> body) {
            this.what = what;
            this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(() -> {
                T value = null;
                Throwable failure = null;
                try {
                    value = body.call();
                } catch (Throwable t) {
                    failure = t;
                }
                try {
                    ended(); // before the result: a watcher that sees it sees the counts already updated
                } finally {
                    if (failure == null) {
                        result.complete(value);
                    } else {
                        result.completeExceptionally(failure);
                    }
                }
            });
        }

        private void ended() {
            if (state.compareAndSet(State.RUNNING, State.ENDED)) {
                watched.decrementAndGet();
                return;
            }
            int left = abandoned.decrementAndGet();
            LOG.warnf("%s ended %d ms after its thread was abandoned; what it returned is discarded (%d abandoned "
                    + "thread(s) still running)", what, Duration.between(abandonedAt, Instant.now()).toMillis(), left);
        }

        /** Abandons the thread unless it has ended meanwhile; true when it was abandoned now. */
        boolean abandon(String after) {
            abandonedAt = Instant.now();
            int now = abandoned.incrementAndGet();
            if (!state.compareAndSet(State.RUNNING, State.ABANDONED)) {
                abandoned.decrementAndGet();
                return false;
            }
            watched.decrementAndGet();
            abandonedTotal.incrementAndGet();
            LOG.errorf("%s did not stop within %s of %s; its thread %s is abandoned (%d abandoned thread(s) running, "
                    + "rsynth.max-abandoned-workers %d%s)", what, limits.stopGrace(), after, thread.getName(), now,
                    limits.maxAbandoned(), now > limits.maxAbandoned() ? ": liveness is DOWN, restart the process"
                    : "");
            return true;
        }
    }
}
