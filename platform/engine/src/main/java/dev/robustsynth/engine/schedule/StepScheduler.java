package dev.robustsynth.engine.schedule;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.engine.optim.ItemPlan;
import dev.robustsynth.engine.optim.Layers;
import dev.robustsynth.engine.optim.SpecPlanner;
import dev.robustsynth.pgd.Pgd;
import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.SynthesisOutcome;
import dev.robustsynth.spi.TaskException;
import java.nio.FloatBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Iteration-level batching for one model. All live syntheses advance in lock-step on one scheduler thread: each
 * tick admits what was submitted since the last one, drops cancelled and late syntheses, takes up to
 * {@link GradientBackend#capacity()} images in round-robin order, evaluates the synthesis graph once over them,
 * applies each image's own projected step, reports progress and completes finished syntheses.
 *
 * <p>Interactive and bulk images (priority &lt; 0) wait in two rotations; {@link Admission} decides how many rows
 * of a tick each gets: bulk fills the batch when nothing interactive is live, and takes a bounded share while
 * something is. The scheduler thread owns both rotations; nothing else touches them.
 *
 * <p>An image's trajectory depends only on its own rows of the batch (the graph's loss and gradient are per
 * example and the optimiser is pure Java), so a result does not depend on what shares its ticks. A spec that does
 * not fit the model fails its own {@link #synthesize} call before it is queued; a failing graph evaluation fails
 * the syntheses of that tick only; the scheduler thread never dies of either.
 */
public final class StepScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StepScheduler.class.getName());

    private final String name;
    private final GradientBackend backend;
    private final SpecPlanner planner;
    private final ModelInfo model;
    private final LinkedBlockingQueue<Job> inbox = new LinkedBlockingQueue<>();
    private final Admission admission;
    private final ArrayDeque<ItemState> interactive = new ArrayDeque<>();
    private final ArrayDeque<ItemState> bulk = new ArrayDeque<>();
    private final Set<Job> live = new LinkedHashSet<>();
    /** Every submitted job not yet ended, for {@link #close()}; the only job set other threads touch. */
    private final Set<Job> pending = ConcurrentHashMap.newKeySet();
    private final List<Job> touched = new ArrayList<>();
    private final ItemState[] batch;
    private final float[] gradScratch;
    private final float[] logitScratch;
    private final float[][] zeroLayers;
    private final Thread thread;
    private volatile boolean closed;

    private volatile int liveJobs;
    private volatile int liveItems;
    private volatile int liveBulkItems;
    private volatile long ticks;
    private volatile long imageSteps;
    private volatile long bulkImageSteps;
    private volatile long tickNanos;
    private volatile long runNanos;
    private volatile long engineCpuNanos;
    private volatile long completedJobs;
    private volatile long failedJobs;
    private volatile int lastBatch;

    /** With the default {@link Admission}. */
    public StepScheduler(String name, GradientBackend backend, SpecPlanner planner) {
        this(name, backend, planner, Admission.defaults());
    }

    public StepScheduler(String name, GradientBackend backend, SpecPlanner planner, Admission admission) {
        this.name = requireNonNull(name, "name is null");
        this.admission = requireNonNull(admission, "admission is null");
        this.backend = requireNonNull(backend, "backend is null");
        this.planner = requireNonNull(planner, "planner is null");
        this.model = backend.model();
        this.batch = new ItemState[backend.capacity()];
        this.gradScratch = new float[model.channels() * model.height() * model.width()];
        this.logitScratch = new float[model.numClasses()];
        List<LayerInfo> graphLayers = Layers.graphLayers(model);
        this.zeroLayers = new float[graphLayers.size()][];
        for (int l = 0; l < zeroLayers.length; l++) {
            zeroLayers[l] = new float[graphLayers.get(l).size()];
        }
        this.thread = Thread.ofPlatform().name("rsynth-scheduler-" + name).daemon(true).unstarted(this::loop);
        thread.start();
    }

    public ModelInfo model() {
        return model;
    }

    /**
     * Checks the spec on the calling thread, queues it for the next tick and waits for its outcome.
     *
     * @throws TaskException {@code INVALID_PARAMETERS}/{@code INVALID_IMAGE} for a spec that does not fit,
     *     {@code CANCELLED} or {@code DEADLINE_EXCEEDED} within one tick (the caller's wait checks both too),
     *     {@code UNAVAILABLE} after {@link #close()}, {@code INTERNAL} when the graph evaluation fails
     */
    public SynthesisOutcome synthesize(JobRequest request) throws TaskException {
        requireNonNull(request, "request is null");
        List<ItemPlan> plans = planner.plan(request.spec(), model);
        Job job = new Job(request, plans, model);
        if (job.checkControl(Instant.now())) {
            return await(job);
        }
        if (closed) {
            throw new TaskException(ErrorCode.UNAVAILABLE, "model " + name + " is shutting down");
        }
        pending.add(job);
        job.future.whenComplete((outcome, failure) -> pending.remove(job));
        inbox.add(job);
        if (closed) {
            job.abort(ErrorCode.UNAVAILABLE, "model " + name + " is shutting down");
        }
        return await(job);
    }

    /**
     * Waits for the outcome. The scheduler checks cancellation and the deadline every tick; the waiting thread
     * sleeps (no polling: 32 waiting threads that wake every few milliseconds measurably slowed the ORT runs on a
     * busy 2-core machine) except that it wakes once at the deadline, so a deadline is met even inside a long tick.
     */
    private SynthesisOutcome await(Job job) throws TaskException {
        while (true) {
            try {
                if (job.deadline().isEmpty()) {
                    return job.future.get();
                }
                long left = Duration.between(Instant.now(), job.deadline().get()).toNanos();
                return job.future.get(Math.max(1, left), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                job.checkControl(Instant.now());
            } catch (InterruptedException e) {
                job.abort(ErrorCode.CANCELLED, "the waiting thread was interrupted");
                Thread.currentThread().interrupt();
                throw new TaskException(ErrorCode.CANCELLED, "the waiting thread was interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TaskException t) {
                    throw new TaskException(t.code(), t.getMessage(), t);
                }
                throw new TaskException(ErrorCode.INTERNAL, "synthesis failed: " + e.getCause(), e.getCause());
            }
        }
    }

    public SchedulerStats stats() {
        return new SchedulerStats(liveJobs, liveItems, inbox.size(), ticks, imageSteps, tickNanos, runNanos,
                engineCpuNanos, completedJobs, failedJobs, lastBatch, liveBulkItems, bulkImageSteps);
    }

    /** Whether the scheduler thread has ended (after {@link #close()}). */
    public boolean stopped() {
        return !thread.isAlive();
    }

    /**
     * Stops the thread; queued and live syntheses end with {@code UNAVAILABLE}, even if the thread is stuck in a
     * graph evaluation. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warning("scheduler of model " + name + " did not stop within 10 s");
        }
        failAll("model " + name + " is shutting down");
        for (Job job : pending) {
            job.abort(ErrorCode.UNAVAILABLE, "model " + name + " is shutting down");
        }
    }

    private void loop() {
        LOG.fine(() -> "scheduler of model " + name + " started, batch up to " + batch.length);
        while (!closed) {
            try {
                if (interactive.isEmpty() && bulk.isEmpty()) {
                    Job next = inbox.poll(1, TimeUnit.SECONDS);
                    if (next != null) {
                        admit(next);
                    }
                    continue;
                }
                tick();
            } catch (InterruptedException e) {
                if (!closed) {
                    LOG.warning("scheduler of model " + name + " interrupted while open; continuing");
                }
            } catch (Throwable t) {
                // A bug in a tick must not take the model down: fail what is live and carry on.
                LOG.log(Level.SEVERE, "scheduler of model " + name + " failed a tick; failing its live syntheses", t);
                for (Job job : live) {
                    job.abort(ErrorCode.INTERNAL, "scheduler failure: " + t);
                }
                retireFinished();
                if (t instanceof VirtualMachineError) {
                    failAll("scheduler failure: " + t);
                }
            }
        }
        failAll("model " + name + " is shutting down");
    }

    private void failAll(String message) {
        Job queued;
        while ((queued = inbox.poll()) != null) {
            queued.abort(ErrorCode.UNAVAILABLE, message);
        }
        if (!thread.isAlive() || Thread.currentThread() == thread) {
            for (Job job : live) {
                job.abort(ErrorCode.UNAVAILABLE, message);
            }
        }
    }

    private void admit(Job job) {
        if (job.finished()) {
            failedJobs++;
            return;
        }
        live.add(job);
        (job.bulk ? bulk : interactive).addAll(job.items);
    }

    private void retireFinished() {
        boolean any = false;
        for (Iterator<Job> it = live.iterator(); it.hasNext(); ) {
            Job job = it.next();
            if (job.finished()) {
                it.remove();
                any = true;
                if (job.future.isCompletedExceptionally()) {
                    failedJobs++;
                } else {
                    completedJobs++;
                }
            }
        }
        if (any) {
            interactive.removeIf(item -> item.job.finished() || item.done);
            bulk.removeIf(item -> item.job.finished() || item.done);
        }
        liveJobs = live.size();
        liveItems = interactive.size() + bulk.size();
        liveBulkItems = bulk.size();
    }

    private void tick() {
        long start = System.nanoTime();
        long cpuStart = CpuClock.now();
        Job next;
        while ((next = inbox.poll()) != null) {
            admit(next);
        }
        Instant now = Instant.now();
        for (Job job : live) {
            job.checkControl(now);
        }
        retireFinished();
        long tickNo = ticks + 1;
        int bulkRows = admission.bulkRows(interactive.size(), bulk.size(), batch.length, tickNo);
        int interactiveRows = admission.interactiveRows(interactive.size(), bulkRows, batch.length);
        int n = interactiveRows + bulkRows;
        if (n == 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            batch[i] = (i < interactiveRows ? interactive : bulk).pollFirst();
            fill(i, batch[i].plan, batch[i].x);
        }
        long cpuBeforeRun = CpuClock.now();
        long runStart = System.nanoTime();
        Exception failure = null;
        try {
            backend.run(n);
        } catch (Exception e) {
            failure = e;
        }
        long runEnd = System.nanoTime();
        long cpuAfterRun = CpuClock.now();
        // Counted before any synthesis of this tick completes, so a caller that has its outcome sees its ticks.
        ticks = tickNo;
        imageSteps += n;
        bulkImageSteps += bulkRows;
        lastBatch = n;
        runNanos += runEnd - runStart;
        touched.clear();
        for (int i = 0; i < n; i++) {
            ItemState item = batch[i];
            batch[i] = null;
            Job job = item.job;
            if (job.lastTick != tickNo) {
                job.lastTick = tickNo;
                job.ticks++;
                touched.add(job);
            }
            if (failure != null) {
                job.abort(ErrorCode.INTERNAL, "graph evaluation failed: " + failure.getMessage());
                continue;
            }
            if (job.finished()) {
                continue;
            }
            try {
                apply(i, item);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "step of a synthesis on model " + name + " failed", e);
                job.abort(ErrorCode.INTERNAL, "step failed: " + e);
            }
            if (!item.done && !job.finished()) {
                (job.bulk ? bulk : interactive).addLast(item);
            }
        }
        if (failure != null) {
            LOG.log(Level.WARNING, "graph evaluation on model " + name + " failed at batch " + n, failure);
        }
        for (Job job : touched) {
            if (!job.finished()) {
                job.reportIfDue(false);
            }
        }
        retireFinished();
        long end = System.nanoTime();
        engineCpuNanos += cpuBeforeRun - cpuStart + CpuClock.now() - cpuAfterRun;
        tickNanos += end - start;
    }

    private void fill(int row, ItemPlan plan, float[] x) {
        int d = x.length;
        int k = plan.target().length;
        backend.x().put(row * d, x);
        backend.target().put(row * k, plan.target());
        backend.ceWeight().put(row, plan.ceWeight());
        backend.logitWeights().put(row * k, plan.logitWeights());
        float[][] weights = plan.activationWeights();
        for (int l = 0; l < zeroLayers.length; l++) {
            float[] w = weights[l] != null ? weights[l] : zeroLayers[l];
            backend.layerWeights(l).put(row * w.length, w);
        }
    }

    private void apply(int row, ItemState item) {
        Job job = item.job;
        double loss = backend.loss().get(row) + Pgd.pixelLoss(item.plan.pixels(), item.x);
        if (!Double.isFinite(loss)) {
            job.abort(ErrorCode.INTERNAL, "item " + item.index + ": the loss became " + loss + " at step "
                    + item.steps());
            return;
        }
        if (item.evaluations == 0) {
            item.startLoss = loss;
        }
        item.lastLoss = loss;
        if (item.best != null && loss < item.bestLoss) {
            item.bestLoss = loss;
            System.arraycopy(item.x, 0, item.best, 0, item.x.length);
        }
        boolean stop = item.plan.stopClass() >= 0 && stopReached(row, item);
        if (item.evaluations == job.rule.steps() || stop) {
            item.stoppedEarly = stop && item.evaluations < job.rule.steps();
            item.evaluations++;
            item.done = true;
            job.itemDone();
            return;
        }
        FloatBuffer grad = backend.grad();
        grad.get(row * gradScratch.length, gradScratch);
        Pgd.addPixelGradient(item.plan.pixels(), item.x, gradScratch);
        if (!Pgd.step(job.rule, item.plan.pixels(), item.x, gradScratch)) {
            job.abort(ErrorCode.INTERNAL, "item " + item.index + ": the gradient holds NaN or infinity at step "
                    + item.steps());
            return;
        }
        item.evaluations++;
    }

    /** Whether the item's early-stop class has reached its threshold at the iterate just evaluated. */
    private boolean stopReached(int row, ItemState item) {
        int k = logitScratch.length;
        backend.logits().get(row * k, logitScratch);
        return Pgd.reachedStop(item.plan.pixels(), logitScratch, 0, k, item.plan.stopClass());
    }
}
