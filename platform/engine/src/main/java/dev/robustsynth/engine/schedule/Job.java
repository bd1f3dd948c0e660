package dev.robustsynth.engine.schedule;

import dev.robustsynth.engine.optim.ItemPlan;
import dev.robustsynth.pgd.Pgd;
import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ItemOutcome;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Progress;
import dev.robustsynth.spi.ProgressSink;
import dev.robustsynth.spi.StepRule;
import dev.robustsynth.spi.SynthesisOutcome;
import dev.robustsynth.spi.TaskException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/** One submitted synthesis: its items, its control, and the future its caller waits on. */
final class Job {
    private static final Logger LOG = Logger.getLogger(Job.class.getName());
    private static final int MAX_PREVIEWS = 4;

    final StepRule rule;
    /** Bulk work (priority &lt; 0): a bounded share of the ticks that carry interactive work. */
    final boolean bulk;
    final List<ItemState> items;
    final CompletableFuture<SynthesisOutcome> future = new CompletableFuture<>();
    private final JobRequest request;
    private final ModelInfo model;
    private int nextReport;
    private int lastReported = -1;
    private int remaining;
    long ticks;
    /** The last tick this job took part in (scheduler thread only). */
    long lastTick;

    Job(JobRequest request, List<ItemPlan> plans, ModelInfo model) {
        this.request = request;
        this.rule = request.spec().rule();
        this.bulk = request.bulk();
        this.model = model;
        List<ItemState> states = new ArrayList<>(plans.size());
        for (int i = 0; i < plans.size(); i++) {
            states.add(new ItemState(this, i, plans.get(i), rule.keepBest()));
        }
        this.items = List.copyOf(states);
        this.remaining = states.size();
        int every = request.spec().progressEvery();
        this.nextReport = every > 0 ? every : Integer.MAX_VALUE;
    }

    Optional<Instant> deadline() {
        return request.deadline();
    }

    boolean finished() {
        return future.isDone();
    }

    /** Ends the job with {@code code} unless it already ended; returns whether this call ended it. */
    boolean abort(ErrorCode code, String message) {
        return future.completeExceptionally(new TaskException(code, message));
    }

    /** Aborts the job when its caller cancelled it or its deadline passed. Called every tick. */
    boolean checkControl(Instant now) {
        BooleanSupplier cancelled = request.cancelled();
        boolean isCancelled;
        try {
            isCancelled = cancelled.getAsBoolean();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cancellation check threw; treating the task as cancelled", e);
            isCancelled = true;
        }
        if (isCancelled) {
            return abort(ErrorCode.CANCELLED, "synthesis cancelled after " + minSteps() + " of " + rule.steps()
                    + " steps");
        }
        Optional<Instant> deadline = request.deadline();
        if (deadline.isPresent() && !now.isBefore(deadline.get())) {
            return abort(ErrorCode.DEADLINE_EXCEEDED, "synthesis passed its deadline " + deadline.get() + " after "
                    + minSteps() + " of " + rule.steps() + " steps");
        }
        return false;
    }

    int minSteps() {
        int min = Integer.MAX_VALUE;
        for (ItemState item : items) {
            min = Math.min(min, item.progressSteps());
        }
        return min;
    }

    /** Called after an item's last evaluation; completes the job when it was the last item. */
    void itemDone() {
        remaining--;
        if (remaining == 0) {
            reportIfDue(true);
            future.complete(outcome());
        }
    }

    /** Reports progress when every item has passed the next multiple of {@code progressEvery}, and at the end. */
    void reportIfDue(boolean last) {
        int done = minSteps();
        if (last ? done != lastReported : done >= nextReport) {
            int every = request.spec().progressEvery();
            nextReport = every > 0 ? (done / every + 1) * every : Integer.MAX_VALUE;
            lastReported = done;
            report(done);
        }
    }

    private void report(int done) {
        ProgressSink sink = request.progress();
        double sum = 0;
        for (ItemState item : items) {
            sum += item.lastLoss;
        }
        List<Image> previews = List.of();
        if (request.previews()) {
            previews = new ArrayList<>();
            for (int i = 0; i < Math.min(MAX_PREVIEWS, items.size()); i++) {
                previews.add(toImage(items.get(i).x));
            }
        }
        Map<String, Double> metrics = Map.of("meanLoss", sum / items.size(), "ticks", (double) ticks);
        try {
            sink.report(new Progress(request.spec().stage(), done, rule.steps(), metrics, previews));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "progress sink threw; progress of this synthesis may be incomplete", e);
        }
    }

    private Image toImage(float[] pixels) {
        return new Image(model.channels(), model.height(), model.width(), pixels);
    }

    private SynthesisOutcome outcome() {
        List<ItemOutcome> outcomes = new ArrayList<>(items.size());
        int stepsRun = 0;
        for (ItemState item : items) {
            stepsRun = Math.max(stepsRun, item.steps());
            float[] chosen = item.best != null ? item.best : item.x;
            double finalLoss = item.best != null ? item.bestLoss : item.lastLoss;
            outcomes.add(new ItemOutcome(toImage(chosen), item.startLoss, finalLoss,
                    Pgd.l2Distance(chosen, item.plan.start()), Pgd.l2Distance(chosen, item.plan.centre()),
                    item.steps(), item.stoppedEarly));
        }
        return new SynthesisOutcome(outcomes, stepsRun, ticks);
    }
}
