package dev.robustsynth.engine.schedule;

/**
 * Weighted admission: how one tick's rows are split between interactive syntheses (priority ≥ 0) and bulk ones
 * (priority &lt; 0, the items of bulk jobs).
 *
 * <p>A tick's time grows with its rows, and every synthesis in it waits for the whole tick. With no interactive
 * work live, bulk fills the batch (throughput). While an interactive synthesis is live, bulk gets at most
 * {@code bulkRowsWhileInteractive} rows per tick, so the interactive steps run in small, fast ticks; those rows are
 * reserved for bulk even when interactive work could fill the batch, so neither class starves the other. With a
 * capacity of one row, the two classes take alternate ticks.
 *
 * @param bulkRowsWhileInteractive most (and, while bulk waits, exactly that many, up to what is live) bulk rows in a
 *                                 tick that carries interactive work; ≥ 1
 */
public record Admission(int bulkRowsWhileInteractive) {
    /**
     * The default share: the smallest that keeps bulk progressing. Measured in the service during a job, an
     * interactive task took 1.72× / 1.92× its idle latency (median / p95) with 1 row, 1.95× / 2.75× with 2
     * (platform/acceptance/README.md).
     */
    public static final int DEFAULT_BULK_ROWS_WHILE_INTERACTIVE = 1;

    public Admission {
        if (bulkRowsWhileInteractive < 1) {
            throw new IllegalArgumentException("bulkRowsWhileInteractive must be ≥ 1 (bulk must progress), got "
                    + bulkRowsWhileInteractive);
        }
    }

    public static Admission defaults() {
        return new Admission(DEFAULT_BULK_ROWS_WHILE_INTERACTIVE);
    }

    /**
     * Bulk rows of the next tick.
     *
     * @param interactiveLive interactive images waiting for a step
     * @param bulkLive        bulk images waiting for a step
     * @param capacity        rows one evaluation takes
     * @param tick            the tick's number (alternation when {@code capacity} is 1)
     */
    public int bulkRows(int interactiveLive, int bulkLive, int capacity, long tick) {
        if (interactiveLive == 0) {
            return Math.min(bulkLive, capacity);
        }
        if (bulkLive == 0) {
            return 0;
        }
        if (capacity == 1) {
            return tick % 2 == 0 ? 1 : 0;
        }
        return Math.min(Math.min(bulkRowsWhileInteractive, bulkLive), capacity - 1);
    }

    /** Interactive rows of a tick that gives bulk {@code bulkRows}. */
    public int interactiveRows(int interactiveLive, int bulkRows, int capacity) {
        return Math.min(interactiveLive, capacity - bulkRows);
    }
}
