package dev.robustsynth.service.intake;

import static java.util.Objects.requireNonNull;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * The JSON Schemas of the wire contract (draft 2020-12, with format assertions on), read from the class path
 * ({@code schemas/} of the repository, copied into the service jar), plus each task type's parameter schema
 * compiled from its descriptor's text. Ids under {@value #BASE} resolve to the class-path copies; nothing is
 * fetched over the network.
 */
public final class SchemaCatalog {
    public static final String BASE = "https://robustsynth.dev/schemas/";
    /** The message schemas shipped with the service, by file name. */
    public static final List<String> MESSAGE_SCHEMAS = List.of("request.v1.schema.json", "result.v1.schema.json",
            "progress.v1.schema.json", "control.v1.schema.json", "error.v1.schema.json",
            "provenance.v1.schema.json", "image.v1.schema.json", "job.v1.schema.json", "job-status.v1.schema.json");
    private static final int MAX_LISTED = 5;

    private final SchemaRegistry registry;
    private final Map<String, Schema> messages = new HashMap<>();
    private final Map<String, Schema> tasks = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> taskSchemaNodes = new ConcurrentHashMap<>();

    public SchemaCatalog() {
        Map<String, String> texts = new HashMap<>();
        for (String file : MESSAGE_SCHEMAS) {
            texts.put(BASE + file, resource("schemas/" + file));
        }
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        // draft 2020-12 plus our annotation keyword, so schemas using it validate without warnings
        Dialect dialect = Dialect.builder(Dialects.getDraft202012())
                .keyword(new AnnotationKeyword(ImageMode.ANNOTATION)).build();
        this.registry = SchemaRegistry.withDefaultDialect(dialect, b -> b.schemaRegistryConfig(config).schemas(texts));
        for (String file : MESSAGE_SCHEMAS) {
            Schema schema = registry.getSchema(SchemaLocation.of(BASE + file));
            schema.initializeValidators();
            messages.put(file, schema);
        }
    }

    private static String resource(String path) {
        ClassLoader loader = SchemaCatalog.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("schema " + path + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema " + path, e);
        }
    }

    /**
     * Compiles a task type's parameter schema.
     *
     * @throws IllegalArgumentException naming the type when the text is not a valid schema
     */
    public void registerTask(String type, String schemaText) {
        requireNonNull(type, "type is null");
        requireNonNull(schemaText, "schemaText is null");
        try {
            Schema schema = registry.getSchema(SchemaLocation.of(BASE + "tasks/" + type + ".v1.schema.json"),
                    schemaText, InputFormat.JSON);
            schema.initializeValidators();
            tasks.put(type, schema);
            taskSchemaNodes.put(type, schema.getSchemaNode());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the parameter schema of task type '" + type
                    + "' is not a valid JSON Schema: " + e.getMessage(), e);
        }
    }

    /** A message schema by file name, e.g. {@code result.v1.schema.json}. */
    public Schema message(String file) {
        Schema schema = messages.get(file);
        if (schema == null) {
            throw new IllegalArgumentException("no message schema " + file + "; known: " + messages.keySet());
        }
        return schema;
    }

    public Optional<Schema> task(String type) {
        return Optional.ofNullable(tasks.get(type));
    }

    /** The parsed parameter schema of a task type (to read annotations such as {@code x-rsynth-image}). */
    public Optional<JsonNode> taskSchemaNode(String type) {
        return Optional.ofNullable(taskSchemaNodes.get(type));
    }

    /** Validation problems as sentences, or empty when {@code instance} is valid. */
    public static List<String> problems(Schema schema, JsonNode instance, String prefix) {
        List<Error> errors = schema.validate(instance);
        return errors.stream().map(e -> describe(e, prefix)).distinct().toList();
    }

    /** One sentence summarising at most five problems. */
    public static String summary(List<String> problems) {
        String listed = String.join("; ", problems.subList(0, Math.min(MAX_LISTED, problems.size())));
        return problems.size() > MAX_LISTED ? listed + "; and " + (problems.size() - MAX_LISTED) + " more" : listed;
    }

    private static String describe(Error error, String prefix) {
        String location = error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
        if (location.startsWith("$")) {
            location = location.substring(1);
        }
        String where = prefix + location;
        String message = error.getMessage();
        if (message != null && message.startsWith(": ")) {
            message = message.substring(2);
        }
        return (where.isEmpty() ? "" : where + ": ") + message;
    }
}
