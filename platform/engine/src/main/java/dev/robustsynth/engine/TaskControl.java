package dev.robustsynth.engine;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.ProgressSink;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * What the engine needs of the task a {@link dev.robustsynth.spi.ModelFacade} serves.
 *
 * @param cancelled polled every tick (from the scheduler thread and the waiting thread); must be cheap
 * @param deadline  when the task's syntheses end with {@code DEADLINE_EXCEEDED}
 * @param progress  receives each synthesis's progress on the scheduler thread; must not block
 * @param previews  whether progress events carry up to four current images
 * @param priority  the task's request priority; below 0 (the items of bulk jobs) its syntheses are bulk work, which
 *                  takes at most {@link EngineConfig#bulkRowsWhileInteractive()} rows of a tick while interactive
 *                  syntheses are live
 */
public record TaskControl(BooleanSupplier cancelled, Optional<Instant> deadline, ProgressSink progress,
                          boolean previews, int priority) {

    public TaskControl {
        requireNonNull(cancelled, "cancelled is null");
        requireNonNull(deadline, "deadline is null");
        requireNonNull(progress, "progress is null");
    }

    /** Interactive (priority 0). */
    public TaskControl(BooleanSupplier cancelled, Optional<Instant> deadline, ProgressSink progress,
                       boolean previews) {
        this(cancelled, deadline, progress, previews, 0);
    }

    /** Without previews, interactive. */
    public TaskControl(BooleanSupplier cancelled, Optional<Instant> deadline, ProgressSink progress) {
        this(cancelled, deadline, progress, false, 0);
    }

    /** Never cancelled, no deadline, progress dropped. */
    public static TaskControl none() {
        return new TaskControl(() -> false, Optional.empty(), p -> { });
    }
}
