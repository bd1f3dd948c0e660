package dev.robustsynth.cli;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A progress event from {@code rsynth.progress}. {@code fraction} is in [0,1]; when the service
 * left it out it is {@code step / totalSteps}. {@code metrics} keeps the numeric metrics only. {@code previews} are
 * the inline preview images (role {@code preview}) when the request asked for them, else empty.
 */
public record ProgressEvent(String id, String type, String stage, int step, int totalSteps, double fraction,
                            Map<String, Double> metrics, Optional<Instant> at, List<OutcomeImage> previews) {

    public ProgressEvent {
        requireNonNull(id, "id is null");
        requireNonNull(type, "type is null");
        requireNonNull(stage, "stage is null");
        metrics = Map.copyOf(requireNonNull(metrics, "metrics is null"));
        requireNonNull(at, "at is null");
        previews = List.copyOf(requireNonNull(previews, "previews is null"));
    }

    /** An event without previews. */
    public ProgressEvent(String id, String type, String stage, int step, int totalSteps, double fraction,
                         Map<String, Double> metrics, Optional<Instant> at) {
        this(id, type, stage, step, totalSteps, fraction, metrics, at, List.of());
    }
}
