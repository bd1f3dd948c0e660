package dev.robustsynth.service.jobs;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.service.intake.SchemaCatalog;
import dev.robustsynth.service.message.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Checks a job request (job.v1) before anything is started: schema, task type, model, items (count, each item's
 * merged parameters against the task's schema, files inside the roots). An accepted job is returned with its items'
 * own parameters listed ({@code itemParams}) unless they come from a generator.
 */
public final class JobValidator {
    /** The task schema of a type, if the type is served. */
    public interface Catalog {
        Optional<com.networknt.schema.Schema> taskSchema(String type);

        Set<String> types();

        Optional<String> model(Optional<String> named);

        Set<String> models();
    }

    private final SchemaCatalog schemas;
    private final Catalog catalog;
    private final List<Path> roots;
    private final int maxItems;

    public JobValidator(SchemaCatalog schemas, Catalog catalog, List<Path> roots, int maxItems) {
        this.schemas = requireNonNull(schemas, "schemas is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        this.maxItems = maxItems;
    }

    /** A refused job. */
    public static final class Refused extends Exception {
        final JobCode code;

        Refused(JobCode code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public JobCode code() {
            return code;
        }
    }

    /**
     * @return the job, normalised: {@code model} resolved, {@code total} set, {@code itemParams} (an array of the
     *     items' own parameters) for list, folder and manifest items
     */
    public ObjectNode check(byte[] value) throws Refused {
        JsonNode json;
        try {
            json = value == null ? null : Json.parse(value);
        } catch (JacksonException e) {
            throw new Refused(JobCode.JOB_MALFORMED, "the job is not JSON: " + e.getOriginalMessage());
        }
        if (!(json instanceof ObjectNode job)) {
            throw new Refused(JobCode.JOB_MALFORMED, "the job is not a JSON object");
        }
        List<String> problems = SchemaCatalog.problems(schemas.message("job.v1.schema.json"), job, "");
        if (!problems.isEmpty()) {
            boolean itemField = problems.stream().anyMatch(p -> p.startsWith("items"));
            throw new Refused(itemField ? JobCode.JOB_INVALID_ITEM : JobCode.JOB_MALFORMED,
                    "the job does not match job.v1: " + SchemaCatalog.summary(problems));
        }
        String type = job.get("type").asString();
        com.networknt.schema.Schema taskSchema = catalog.taskSchema(type).orElseThrow(() -> new Refused(
                JobCode.JOB_UNKNOWN_TYPE, "unknown task type '" + type + "'; known: "
                + String.join(", ", catalog.types())));
        Optional<String> named = job.has("model") ? Optional.of(job.get("model").asString()) : Optional.empty();
        String model = catalog.model(named).orElseThrow(() -> new Refused(JobCode.JOB_UNKNOWN_MODEL,
                named.map(m -> "unknown model '" + m + "'").orElse("the job names no model and the service has no "
                + "default model") + "; known: " + String.join(", ", catalog.models())));
        job.put("model", model);
        ObjectNode shared = job.has("params") ? (ObjectNode) job.get("params") : Json.object();
        JsonNode items = job.get("items");
        long total;
        ArrayNode own = null;
        if (items.has("generator")) {
            JsonNode g = items.get("generator");
            total = (long) g.get("classes").size() * g.get("count").longValue();
            checkCount(total);
            for (JsonNode c : g.get("classes")) {
                ObjectNode p = Json.object();
                p.set("class", c);
                checkItem(taskSchema, shared, p, "class '" + c.asString() + "'");
            }
        } else {
            own = items.has("list") ? (ArrayNode) items.get("list").deepCopy()
                    : files(items.has("folder") ? items.get("folder") : items.get("manifest"), items.has("folder"));
            total = own.size();
            checkCount(total);
            for (int i = 0; i < own.size(); i++) {
                checkItem(taskSchema, shared, (ObjectNode) own.get(i), "item " + i);
            }
            job.set("itemParams", own);
        }
        job.put("total", total);
        return job;
    }

    private void checkCount(long total) throws Refused {
        if (total == 0) {
            throw new Refused(JobCode.JOB_NO_ITEMS, "the job has no items");
        }
        if (total > maxItems) {
            throw new Refused(JobCode.JOB_TOO_MANY_ITEMS, "the job has " + total + " items; the limit is " + maxItems
                    + " (rsynth.jobs.max-items)");
        }
    }

    private static void checkItem(com.networknt.schema.Schema schema, ObjectNode shared, ObjectNode own, String which)
            throws Refused {
        List<String> problems = SchemaCatalog.problems(schema, merged(shared, own), "params");
        if (!problems.isEmpty()) {
            throw new Refused(JobCode.JOB_INVALID_ITEM, which + " does not match the task's parameters: "
                    + SchemaCatalog.summary(problems));
        }
    }

    /** The item's parameters: its own over the job's shared ones. */
    static ObjectNode merged(ObjectNode shared, ObjectNode own) {
        ObjectNode p = shared.deepCopy();
        own.properties().forEach(e -> p.set(e.getKey(), e.getValue()));
        return p;
    }

    private ArrayNode files(JsonNode source, boolean folder) throws Refused {
        String param = source.get("param").asString();
        Path path = inRoots(source.get("uri").asString());
        ArrayNode out = Json.mapper().createArrayNode();
        try {
            if (folder) {
                try (Stream<Path> list = Files.list(path)) {
                    for (Path f : list.filter(Files::isRegularFile).filter(f -> {
                        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
                    }).sorted().toList()) {
                        out.add(imageItem(param, f.toUri().toString()));
                    }
                }
            } else {
                int line = 0;
                for (String text : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                    line++;
                    if (text.isBlank()) {
                        continue;
                    }
                    JsonNode entry;
                    try {
                        entry = Json.parse(text.getBytes(StandardCharsets.UTF_8));
                    } catch (JacksonException e) {
                        throw new Refused(JobCode.JOB_INVALID_ITEM, "manifest line " + line + " is not JSON");
                    }
                    Set<String> fields = new java.util.TreeSet<>(entry.propertyNames());
                    if (entry.has("uri") && fields.size() == 1) {
                        inRoots(entry.get("uri").asString());
                        out.add(imageItem(param, entry.get("uri").asString()));
                    } else if (entry.has("params") && entry.get("params").isObject() && fields.size() == 1) {
                        out.add(entry.get("params"));
                    } else {
                        throw new Refused(JobCode.JOB_INVALID_ITEM, "manifest line " + line + " (item " + out.size()
                                + ") has fields " + fields + "; expected {\"uri\": ...} or {\"params\": {...}}");
                    }
                }
            }
        } catch (IOException e) {
            throw new Refused(JobCode.JOB_FILE_OUTSIDE_ROOTS, "cannot read " + source.get("uri").asString() + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        return out;
    }

    private static ObjectNode imageItem(String param, String uri) {
        ObjectNode p = Json.object();
        p.putObject(param).put("uri", uri);
        return p;
    }

    /** The real path of a file: URI inside rsynth.image-uri-roots (symlinks resolved), else JOB_FILE_OUTSIDE_ROOTS. */
    private Path inRoots(String uri) throws Refused {
        Refused outside = new Refused(JobCode.JOB_FILE_OUTSIDE_ROOTS, "'" + uri + "' is outside the directories "
                + "the service may read (rsynth.image-uri-roots)");
        Path lexical;
        try {
            lexical = Path.of(URI.create(uri)).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            throw new Refused(JobCode.JOB_FILE_OUTSIDE_ROOTS, "'" + uri + "' is not a file: URI");
        }
        Function<Path, Boolean> inside = p -> roots.stream().anyMatch(r -> p.startsWith(r) || startsWithReal(p, r));
        if (!inside.apply(lexical)) {
            throw outside;
        }
        try {
            Path real = lexical.toRealPath();
            if (!inside.apply(real)) {
                throw outside;
            }
            return real;
        } catch (IOException e) {
            throw new Refused(JobCode.JOB_FILE_OUTSIDE_ROOTS, "'" + uri + "' does not exist in rsynth.image-uri-roots");
        }
    }

    private static boolean startsWithReal(Path p, Path root) {
        try {
            return p.startsWith(root.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }
}
