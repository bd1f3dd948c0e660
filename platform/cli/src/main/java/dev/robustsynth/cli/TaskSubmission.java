package dev.robustsynth.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A task request: {@code {id, type, model?, params, seed?, priority?, deadline?, progress?}}. Build one with
 * {@link #builder(String)}; the id defaults to a random {@code rsynth-<uuid>}.
 */
public record TaskSubmission(String id, String type, Optional<String> model, ObjectNode params,
                             OptionalLong seed, OptionalInt priority, Optional<Instant> deadline,
                             Optional<Progress> progress) {

    /**
     * The request's {@code progress} field: events every {@code every} steps (the service reports at most 50 per
     * synthesis, raising {@code every} as needed), with up to four small current images when {@code previews}.
     */
    public record Progress(int every, boolean previews) {
        public Progress {
            if (every < 1) {
                throw new IllegalArgumentException("progress every must be ≥ 1, got " + every);
            }
        }
    }

    public TaskSubmission {
        requireNonNull(id, "id is null");
        requireNonNull(type, "type is null");
        requireNonNull(model, "model is null");
        params = requireNonNull(params, "params is null").deepCopy();
        requireNonNull(seed, "seed is null");
        requireNonNull(priority, "priority is null");
        requireNonNull(deadline, "deadline is null");
        requireNonNull(progress, "progress is null");
        if (id.isBlank()) {
            throw new IllegalArgumentException("task id is blank");
        }
        if (type.isBlank()) {
            throw new IllegalArgumentException("task type is blank");
        }
    }

    @Override
    public ObjectNode params() {
        return params.deepCopy();
    }

    public static Builder builder(String type) {
        return new Builder(type);
    }

    /** Collects the fields of a {@link TaskSubmission}; images become {@code {"data"}} or {@code {"uri"}} objects. */
    public static final class Builder {
        private final String type;
        private String id = "rsynth-" + UUID.randomUUID();
        private Optional<String> model = Optional.empty();
        private final ObjectNode params = JsonNodeFactory.instance.objectNode();
        private OptionalLong seed = OptionalLong.empty();
        private OptionalInt priority = OptionalInt.empty();
        private Optional<Instant> deadline = Optional.empty();
        private Optional<Progress> progress = Optional.empty();

        private Builder(String type) {
            this.type = requireNonNull(type, "type is null");
        }

        public Builder id(String id) {
            this.id = requireNonNull(id, "id is null");
            return this;
        }

        public Builder model(String model) {
            this.model = Optional.of(requireNonNull(model, "model is null"));
            return this;
        }

        public Builder param(String name, JsonNode value) {
            params.set(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
            return this;
        }

        public Builder param(String name, String value) {
            return param(name, JsonNodeFactory.instance.textNode(requireNonNull(value, "value is null")));
        }

        public Builder param(String name, long value) {
            return param(name, JsonNodeFactory.instance.numberNode(value));
        }

        public Builder param(String name, double value) {
            return param(name, JsonNodeFactory.instance.numberNode(value));
        }

        public Builder param(String name, boolean value) {
            return param(name, JsonNodeFactory.instance.booleanNode(value));
        }

        /** Copies every field of {@code values} into the parameters (later calls override). */
        public Builder params(ObjectNode values) {
            values.properties().forEach(e -> params.set(e.getKey(), e.getValue().deepCopy()));
            return this;
        }

        /** An image parameter sent inline: {@code {"data": "<base64 of the PNG/JPEG bytes>"}}. */
        public Builder image(String name, byte[] encodedImage) {
            ObjectNode image = JsonNodeFactory.instance.objectNode();
            image.put("data", Base64.getEncoder().encodeToString(encodedImage));
            return param(name, image);
        }

        /** An image parameter sent by reference: {@code {"uri": "file:///…"}} (the service must be able to read it). */
        public Builder imageUri(String name, URI uri) {
            ObjectNode image = JsonNodeFactory.instance.objectNode();
            image.put("uri", uri.toString());
            return param(name, image);
        }

        public Builder seed(long seed) {
            this.seed = OptionalLong.of(seed);
            return this;
        }

        public Builder priority(int priority) {
            this.priority = OptionalInt.of(priority);
            return this;
        }

        public Builder deadline(Instant deadline) {
            this.deadline = Optional.of(requireNonNull(deadline, "deadline is null"));
            return this;
        }

        /** Progress every {@code every} steps, with previews or without. */
        public Builder progress(int every, boolean previews) {
            this.progress = Optional.of(new Progress(every, previews));
            return this;
        }

        public TaskSubmission build() {
            return new TaskSubmission(id, type, model, params, seed, priority, deadline, progress);
        }
    }
}
