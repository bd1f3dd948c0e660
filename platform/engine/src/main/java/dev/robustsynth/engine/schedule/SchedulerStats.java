package dev.robustsynth.engine.schedule;

/**
 * Counters of one model's scheduler since it started.
 *
 * @param liveJobs       syntheses being stepped
 * @param liveItems      images being stepped
 * @param waitingJobs    syntheses submitted but not yet admitted (they join at the next tick)
 * @param ticks          ticks run (one graph evaluation each)
 * @param imageSteps     image evaluations summed over ticks
 * @param tickNanos      wall time inside ticks, graph evaluation included
 * @param runNanos       wall time inside graph evaluations
 * @param engineCpuNanos CPU time the scheduler thread spent in ticks outside graph evaluations: the engine's own
 *                       work, without the waiting for a core that inflates wall time on a busy machine (0 where
 *                       the JVM cannot measure thread CPU time)
 * @param completedJobs  syntheses that returned a result
 * @param failedJobs     syntheses that ended with an error (cancelled and deadline included)
 * @param lastBatch      rows in the last tick
 * @param liveBulkItems  of {@code liveItems}, the bulk ones (priority &lt; 0)
 * @param bulkImageSteps of {@code imageSteps}, the bulk ones
 */
public record SchedulerStats(int liveJobs, int liveItems, int waitingJobs, long ticks, long imageSteps,
                             long tickNanos, long runNanos, long engineCpuNanos, long completedJobs, long failedJobs,
                             int lastBatch, int liveBulkItems, long bulkImageSteps) {

    /** Share of tick time the engine spends outside graph evaluation (0 when no tick ran). */
    public double overheadFraction() {
        return tickNanos == 0 ? 0 : (double) (tickNanos - runNanos) / tickNanos;
    }

    /** The engine's own CPU time per tick over tick wall time (0 when no tick ran). */
    public double engineCpuFraction() {
        return tickNanos == 0 ? 0 : (double) engineCpuNanos / tickNanos;
    }

    /** The counters accumulated since {@code earlier}. */
    public SchedulerStats since(SchedulerStats earlier) {
        return new SchedulerStats(liveJobs, liveItems, waitingJobs, ticks - earlier.ticks,
                imageSteps - earlier.imageSteps, tickNanos - earlier.tickNanos, runNanos - earlier.runNanos,
                engineCpuNanos - earlier.engineCpuNanos, completedJobs - earlier.completedJobs,
                failedJobs - earlier.failedJobs, lastBatch, liveBulkItems, bulkImageSteps - earlier.bulkImageSteps);
    }

    /** Mean rows per tick (0 when no tick ran). */
    public double meanBatch() {
        return ticks == 0 ? 0 : (double) imageSteps / ticks;
    }
}
