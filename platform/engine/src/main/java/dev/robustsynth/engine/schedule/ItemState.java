package dev.robustsynth.engine.schedule;

import dev.robustsynth.engine.optim.ItemPlan;

/** The mutable trajectory of one item; touched by the scheduler thread only. */
final class ItemState {
    final Job job;
    final int index;
    final ItemPlan plan;
    final float[] x;
    final float[] best;
    /** Evaluations done so far; evaluation s is at iterate x_s, and steps follow all but the last. */
    int evaluations;
    double startLoss = Double.NaN;
    double lastLoss = Double.NaN;
    double bestLoss = Double.POSITIVE_INFINITY;
    boolean done;
    /** Whether the item retired at its early-stop threshold before the rule's last step. */
    boolean stoppedEarly;

    ItemState(Job job, int index, ItemPlan plan, boolean keepBest) {
        this.job = job;
        this.index = index;
        this.plan = plan;
        this.x = plan.start().clone();
        this.best = keepBest ? plan.start().clone() : null;
    }

    /** Steps taken so far. */
    int steps() {
        return Math.min(stoppedEarly ? evaluations - 1 : evaluations, job.rule.steps());
    }

    /** Steps for progress: an item that stopped early counts as through all of them. */
    int progressSteps() {
        return stoppedEarly ? job.rule.steps() : steps();
    }
}
