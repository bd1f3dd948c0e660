package dev.robustsynth.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A record of the compacted {@code rsynth.jobs.status} (job-status.v1). {@code error} is set when the job was
 * refused (state FAILED): its code is one of the {@code JOB_*} refusal codes, its stage and details are empty.
 * {@code json} is the record's value as received.
 */
public record JobStatus(String id, JobState state, String type, String model, long total, long published,
                        long succeeded, long failed, long cancelled, long remaining, OptionalDouble ratePerSecond,
                        OptionalLong etaSeconds, Optional<Instant> startedAt, Optional<Instant> updatedAt,
                        Optional<String> output, Optional<String> manifest, Optional<TaskError> error,
                        ObjectNode json) {

    public JobStatus {
        requireNonNull(id, "id is null");
        requireNonNull(state, "state is null");
        requireNonNull(type, "type is null");
        requireNonNull(model, "model is null");
        requireNonNull(ratePerSecond, "ratePerSecond is null");
        requireNonNull(etaSeconds, "etaSeconds is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
        requireNonNull(output, "output is null");
        requireNonNull(manifest, "manifest is null");
        requireNonNull(error, "error is null");
        requireNonNull(json, "json is null");
    }

    /** Items with an outcome: succeeded + failed + cancelled. */
    public long done() {
        return succeeded + failed + cancelled;
    }

    /** done / total in [0, 1]; 0 for a job without items. */
    public double fraction() {
        return total <= 0 ? 0.0 : Math.min(1.0, (double) done() / total);
    }
}
