package dev.robustsynth.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * A bulk job request on {@code rsynth.jobs} (job.v1): one task type and model, parameters shared by every item, and
 * the items. The service splits it into tasks {@code <id>/<index>}; item {@code i} gets seed {@code seed + i}.
 * The constructor checks what job.v1 fixes (id pattern, bulk-lane priority below 0, window ≥ 1), so a malformed
 * job is refused before it is sent.
 */
public record JobRequest(String id, String type, Optional<String> model, ObjectNode params, OptionalLong seed,
                         OptionalInt priority, OptionalInt window, ItemSource items) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+=-]*");
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9-]{0,63}");

    public JobRequest {
        requireNonNull(id, "id is null");
        requireNonNull(type, "type is null");
        requireNonNull(model, "model is null");
        params = requireNonNull(params, "params is null").deepCopy();
        requireNonNull(seed, "seed is null");
        requireNonNull(priority, "priority is null");
        requireNonNull(window, "window is null");
        requireNonNull(items, "items is null");
        if (id.length() > 150 || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("job id '" + id + "' must be 1-150 characters of letters, digits and "
                    + "._:@+=- (no '/'), starting with a letter or digit");
        }
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("task type '" + type + "' is not a type name (lower case, e.g. generate)");
        }
        if (priority.isPresent() && (priority.getAsInt() >= 0 || priority.getAsInt() < -100)) {
            throw new IllegalArgumentException("a job's priority must be in -100..-1 (the bulk lane), got "
                    + priority.getAsInt());
        }
        if (window.isPresent() && (window.getAsInt() < 1 || window.getAsInt() > 10_000)) {
            throw new IllegalArgumentException("a job's window must be in 1..10000, got " + window.getAsInt());
        }
    }

    @Override
    public ObjectNode params() {
        return params.deepCopy();
    }
}
