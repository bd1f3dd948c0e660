package dev.robustsynth.service.playground;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** What the gateway streams to the page for one task (server-sent events, one JSON object each, {@code kind} first). */
public sealed interface PlaygroundEvent {

    @JsonProperty("kind")
    String kind();

    String id();

    /** The request is on the tasks topic. */
    record Accepted(String id, String type, String model, Long seed) implements PlaygroundEvent {
        @Override
        public String kind() {
            return "accepted";
        }
    }

    /** A progress event of the task, as the service published it; its previews (if asked for) as PNG data URLs. */
    record Progress(String id, String stage, int step, int totalSteps, double fraction, Map<String, Double> metrics,
                    List<String> previews)
            implements PlaygroundEvent {
        @Override
        public String kind() {
            return "progress";
        }
    }

    /**
     * The task's outcome: its status, the service's error (code, message, stage) when it failed or was cancelled,
     * its images as PNG/JPEG data URLs, and the result's metadata and provenance unchanged.
     */
    record Outcome(String id, String type, String status, Error error, List<OutcomeImage> images, JsonNode metadata,
                   JsonNode provenance) implements PlaygroundEvent {
        @Override
        public String kind() {
            return "outcome";
        }
    }

    /** An error as the service reports it ({@code error.v1}): a code of the wire contract, a sentence, the stage. */
    record Error(String code, String message, String stage) {
    }

    /** One result image; {@code dataUrl} is null when the service wrote it where this instance cannot read. */
    record OutcomeImage(String role, int index, int width, int height, int channels, String dataUrl,
                        JsonNode metadata) {
    }
}
