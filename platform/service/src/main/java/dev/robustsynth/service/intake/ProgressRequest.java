package dev.robustsynth.service.intake;

import tools.jackson.databind.JsonNode;

/**
 * A request's {@code progress} field (schemas/request.v1): report every {@code every} steps, with previews or
 * without. A synthesis never reports more than {@link #MAX_EVENTS_PER_SYNTHESIS} times: see {@link #every(int)}.
 *
 * @param every    the asked-for cadence in steps, ≥ 1
 * @param previews whether events carry up to four current images
 */
public record ProgressRequest(int every, boolean previews) {
    public static final int MAX_EVENTS_PER_SYNTHESIS = 50;

    public ProgressRequest {
        if (every < 1) {
            throw new IllegalArgumentException("progress every must be ≥ 1, got " + every);
        }
    }

    /** The cadence for a synthesis of {@code steps} steps: {@link #every()}, raised to ceil(steps / 50). */
    public int every(int steps) {
        int capped = (steps + MAX_EVENTS_PER_SYNTHESIS - 1) / MAX_EVENTS_PER_SYNTHESIS;
        return Math.max(every, capped);
    }

    /** The field of a request that passed the request schema ({@code every} ≥ 1 is required there). */
    static ProgressRequest of(JsonNode field) {
        return new ProgressRequest(field.get("every").intValue(), field.path("previews").asBoolean(false));
    }
}
