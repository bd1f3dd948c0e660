package dev.robustsynth.engine.schedule;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.ProgressSink;
import dev.robustsynth.spi.SynthesisSpec;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A synthesis and the control of the task that asked for it.
 *
 * @param spec      what to optimise
 * @param cancelled polled every tick; true ends the synthesis with {@code CANCELLED}
 * @param deadline  when the synthesis ends with {@code DEADLINE_EXCEEDED}
 * @param progress  receives progress every {@code spec.progressEvery()} steps and at the end, on the scheduler
 *                  thread
 * @param previews  whether progress events carry the current images (up to four)
 * @param priority  the task's priority; below 0 the synthesis is bulk work and gets a bounded share of the ticks
 *                  that carry interactive work ({@link Admission})
 */
public record JobRequest(SynthesisSpec spec, BooleanSupplier cancelled, Optional<Instant> deadline,
                         ProgressSink progress, boolean previews, int priority) {
    public JobRequest {
        requireNonNull(spec, "spec is null");
        requireNonNull(cancelled, "cancelled is null");
        requireNonNull(deadline, "deadline is null");
        requireNonNull(progress, "progress is null");
    }

    /** Interactive (priority 0). */
    public JobRequest(SynthesisSpec spec, BooleanSupplier cancelled, Optional<Instant> deadline, ProgressSink progress,
                      boolean previews) {
        this(spec, cancelled, deadline, progress, previews, 0);
    }

    /** Whether this is bulk work (priority &lt; 0). */
    public boolean bulk() {
        return priority < 0;
    }
}
