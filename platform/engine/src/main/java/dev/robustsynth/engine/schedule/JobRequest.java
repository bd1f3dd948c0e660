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
 */
public record JobRequest(SynthesisSpec spec, BooleanSupplier cancelled, Optional<Instant> deadline,
                         ProgressSink progress, boolean previews) {
    public JobRequest {
        requireNonNull(spec, "spec is null");
        requireNonNull(cancelled, "cancelled is null");
        requireNonNull(deadline, "deadline is null");
        requireNonNull(progress, "progress is null");
    }
}
