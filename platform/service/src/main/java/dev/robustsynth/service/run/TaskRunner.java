package dev.robustsynth.service.run;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.engine.Engine;
import dev.robustsynth.engine.TaskControl;
import dev.robustsynth.pluginhost.HostedFactory;
import dev.robustsynth.service.intake.FailureCode;
import dev.robustsynth.service.intake.ProgressRequest;
import dev.robustsynth.spi.Progress;
import dev.robustsynth.spi.ProgressSink;
import dev.robustsynth.spi.TaskException;
import dev.robustsynth.spi.TaskRequest;
import dev.robustsynth.spi.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Runs tasks on a fixed pool of platform worker threads, off Kafka's and Vert.x's threads. Waiting tasks are
 * ordered by priority (higher first), then by arrival. The pool's queue is bounded by the tasks channel, which pauses
 * its partitions when enough records are pending. A worker does not run plugin code itself: the task's {@code run}
 * goes to a thread of its own under the {@link PluginWatchdog}, which bounds it by {@code rsynth.task-timeout} and
 * frees the worker from a task that ignores a stop.
 *
 * <p>Items of bulk jobs (tasks with a {@code job}) run in a lane of their own, {@code bulkThreads} threads with
 * their own queue, so a 10,000-item job never takes an interactive worker and an interactive task never waits
 * behind bulk items for a thread. The lane is as wide as the engine's batch so that enough bulk syntheses are live
 * at once to fill its ticks.
 */
public final class TaskRunner implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(TaskRunner.class);

    private final Engine engine;
    private final ThreadPoolExecutor pool;
    private final ThreadPoolExecutor bulk;
    private final BiConsumer<TaskHandle, Progress> progress;
    private final BiConsumer<TaskHandle, Duration> started;
    private final PluginWatchdog watchdog;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger running = new AtomicInteger();

    /**
     * @param progress where running tasks' progress goes (not called for abandoned tasks)
     * @param started  hears each task's wait from receipt to a worker
     * @param watchdog runs and bounds the tasks' plugin code
     */
    public TaskRunner(Engine engine, int threads, BiConsumer<TaskHandle, Progress> progress,
                      BiConsumer<TaskHandle, Duration> started, PluginWatchdog watchdog) {
        this(engine, threads, threads, progress, started, watchdog);
    }

    /** @param bulkThreads threads of the bulk lane (tasks of a job) */
    public TaskRunner(Engine engine, int threads, int bulkThreads, BiConsumer<TaskHandle, Progress> progress,
                      BiConsumer<TaskHandle, Duration> started, PluginWatchdog watchdog) {
        this.engine = requireNonNull(engine, "engine is null");
        this.watchdog = requireNonNull(watchdog, "watchdog is null");
        this.progress = requireNonNull(progress, "progress is null");
        this.started = requireNonNull(started, "started is null");
        if (threads < 1) {
            throw new IllegalArgumentException("worker threads must be ≥ 1, got " + threads);
        }
        if (bulkThreads < 1) {
            throw new IllegalArgumentException("bulk threads must be ≥ 1, got " + bulkThreads);
        }
        this.pool = pool("rsynth-worker-", threads);
        this.bulk = pool("rsynth-bulk-", bulkThreads);
    }

    private static ThreadPoolExecutor pool(String prefix, int threads) {
        AtomicInteger names = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, prefix + names.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /**
     * Queues a task. The future completes on the worker thread with the task's outcome; it never completes for a
     * task that is abandoned or drained before it starts (those publish nothing).
     */
    public CompletableFuture<RunOutcome> submit(TaskHandle handle) {
        CompletableFuture<RunOutcome> outcome = new CompletableFuture<>();
        (handle.envelope().job().isPresent() ? bulk : pool).execute(new Queued(handle, outcome,
                sequence.incrementAndGet()));
        return outcome;
    }

    /** Removes every task still waiting for a worker and returns them (they have not started). */
    public List<TaskHandle> drainQueued() {
        List<Runnable> drained = new ArrayList<>();
        pool.getQueue().drainTo(drained);
        bulk.getQueue().drainTo(drained);
        return drained.stream().map(r -> ((Queued) r).handle).toList();
    }

    public int running() {
        return running.get();
    }

    public int queued() {
        return pool.getQueue().size() + bulk.getQueue().size();
    }

    private void run(TaskHandle handle, CompletableFuture<RunOutcome> result) {
        Instant started = Instant.now();
        if (handle.abandoned()) {
            return;
        }
        handle.state(TaskHandle.State.RUNNING);
        running.incrementAndGet();
        try {
            this.started.accept(handle, Duration.between(handle.envelope().receivedAt(), started));
            RunOutcome outcome;
            try {
                outcome = execute(handle, started);
            } catch (Throwable e) {
                outcome = RunOutcome.failure(FailureCode.INTERNAL, "task '" + handle.envelope().id()
                        + "' could not run: " + e, e, started, 0);
            }
            if (!handle.abandoned()) {
                handle.state(TaskHandle.State.PUBLISHING);
                result.complete(outcome);
            }
        } finally {
            running.decrementAndGet();
        }
    }

    private RunOutcome execute(TaskHandle handle, Instant started) {
        TaskRequest request = handle.envelope().request();
        HostedFactory factory = handle.envelope().factory();
        if (handle.cancelRequested()) {
            return RunOutcome.failure(FailureCode.CANCELLED, "task '" + request.id()
                    + "' was cancelled before it started", null, started, 0);
        }
        if (request.deadline().map(d -> !started.isBefore(d)).orElse(false)) {
            return RunOutcome.failure(FailureCode.DEADLINE_EXCEEDED, "task '" + request.id() + "' passed its deadline "
                    + request.deadline().get() + " while waiting for a worker", null, started, 0);
        }
        boolean previews = handle.envelope().progress().map(ProgressRequest::previews).orElse(false);
        ProgressSink sink = p -> {
            if (!handle.abandoned() && !handle.givenUp()) {
                progress.accept(handle, previews ? p : new Progress(p.stage(), p.step(), p.totalSteps(), p.metrics(),
                        List.of()));
            }
        };
        CountingFacade facade = new CountingFacade(engine.facade(request.model(),
                new TaskControl(handle::stopRequested, request.deadline(), sink, previews,
                        handle.envelope().priority())),
                handle.envelope().progress());
        HostTaskContext context = new HostTaskContext(handle, facade, sink);
        return watchdog.run(handle, started, facade::steps, () -> runPlugin(handle, context, facade, started));
    }

    /** The plugin's part, on the watchdog's thread: every Throwable of the plugin becomes the outcome. */
    private static RunOutcome runPlugin(TaskHandle handle, HostTaskContext context, CountingFacade facade,
                                        Instant started) {
        TaskRequest request = handle.envelope().request();
        HostedFactory factory = handle.envelope().factory();
        try {
            TaskResult result = handle.envelope().task().run(context);
            if (result == null) {
                return RunOutcome.failure(FailureCode.INTERNAL, "task type '" + request.type() + "' of plugin '"
                        + factory.pluginName() + "' returned no result", null, started, facade.steps());
            }
            return RunOutcome.success(result, started, facade.steps());
        } catch (TaskException e) {
            String message = e.getMessage() == null ? e.code().name() : e.getMessage();
            if (e.code() == dev.robustsynth.spi.ErrorCode.CANCELLED && handle.cancelRequested()) {
                message = "task '" + request.id() + "' was cancelled by a control message: " + message;
            }
            return RunOutcome.failure(FailureCode.of(e.code()), message, e, started, facade.steps());
        } catch (Error e) { // OutOfMemoryError, StackOverflowError, a LinkageError of the plugin's jar
            LOG.errorf(e, "task %s (%s) of plugin '%s' threw %s", request.id(), request.type(), factory.pluginName(),
                    e.getClass().getName());
            return RunOutcome.failure(FailureCode.PLUGIN_ERROR, "task type '" + request.type() + "' of plugin '"
                    + factory.pluginName() + "' threw " + e, e, started, facade.steps());
        } catch (Throwable e) {
            LOG.errorf(e, "task %s (%s) of plugin '%s' failed", request.id(), request.type(), factory.pluginName());
            return RunOutcome.failure(FailureCode.INTERNAL, "task type '" + request.type() + "' of plugin '"
                    + factory.pluginName() + "' failed: " + e, e, started, facade.steps());
        }
    }

    /** Interrupts running tasks and stops the workers. */
    @Override
    public void close() {
        pool.shutdownNow();
        bulk.shutdownNow();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS) | !bulk.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warnf("%d worker(s) did not stop within 5 s", running.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Queued implements Runnable, Comparable<Queued> {
        final TaskHandle handle;
        final CompletableFuture<RunOutcome> outcome;
        final long order;

        Queued(TaskHandle handle, CompletableFuture<RunOutcome> outcome, long order) {
            this.handle = handle;
            this.outcome = outcome;
            this.order = order;
        }

        @Override
        public void run() {
            TaskRunner.this.run(handle, outcome);
        }

        @Override
        public int compareTo(Queued other) {
            int byPriority = Integer.compare(other.handle.envelope().priority(), handle.envelope().priority());
            return byPriority != 0 ? byPriority : Long.compare(order, other.order);
        }
    }
}
