package dev.robustsynth.plugins.testkit;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks of a task's parameter schema with the service's JSON Schema validator ({@code com.networknt}, draft
 * 2020-12 plus the {@code x-rsynth-image} annotation, the repository's image schema registered): the text is valid
 * against the draft's meta-schema and compiles with every {@code $ref} resolved; it carries the agreed
 * {@code $schema} and {@code $id}; it is a closed object whose properties are exactly the parameters the task reads,
 * with its required names among them.
 */
public final class SchemaChecks {
    public static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";
    public static final String BASE = "https://robustsynth.dev/schemas/";
    public static final String IMAGE_SCHEMA = BASE + "image.v1.schema.json";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private SchemaChecks() {
    }

    /** The repository's copy of {@code type}'s schema, read relative to a plugin module's directory. */
    public static String repositoryCopy(String type) {
        return read(schemasDir().resolve("tasks").resolve(type + ".v1.schema.json"));
    }

    /**
     * Checks {@code text} and returns it compiled, to validate parameter sets with ({@link #violations}).
     *
     * @throws AssertionError listing every problem found
     */
    public static Schema check(String text, String type, Set<String> parameters) {
        String id = BASE + "tasks/" + type + ".v1.schema.json";
        JsonNode schema;
        try {
            schema = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new AssertionError("schema of " + type + " is not JSON: " + e.getOriginalMessage(), e);
        }
        SchemaRegistry registry = registry();
        List<String> problems = new ArrayList<>(messages(registry.getSchema(SchemaLocation.of(DRAFT))
                .validate(schema)));
        expect(problems, DRAFT, schema.path("$schema").asString(null), "$schema");
        expect(problems, id, schema.path("$id").asString(null), "$id");
        expect(problems, "object", schema.path("type").asString(null), "type");
        if (!schema.path("additionalProperties").isBoolean() || schema.path("additionalProperties").asBoolean()) {
            problems.add("additionalProperties is " + schema.path("additionalProperties") + ", expected false");
        }
        Set<String> properties = new TreeSet<>();
        properties.addAll(schema.path("properties").propertyNames());
        if (!properties.equals(new TreeSet<>(parameters))) {
            problems.add("properties " + properties + " differ from the parameters the task reads "
                    + new TreeSet<>(parameters));
        }
        for (JsonNode name : schema.path("required")) {
            if (!properties.contains(name.asString())) {
                problems.add("required '" + name.asString() + "' is not a property");
            }
        }
        Schema compiled = null;
        try {
            compiled = registry.getSchema(SchemaLocation.of(id), text, InputFormat.JSON);
            compiled.initializeValidators();
        } catch (RuntimeException e) {
            problems.add("does not compile: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("schema of " + type + ": " + String.join("; ", problems));
        }
        return compiled;
    }

    /** What the compiled schema finds wrong with a parameter set, as sentences; empty when it is valid. */
    public static List<String> violations(Schema schema, Map<String, ?> params) {
        return messages(schema.validate(JSON.valueToTree(params)));
    }

    private static SchemaRegistry registry() {
        Dialect dialect = Dialect.builder(Dialects.getDraft202012())
                .keyword(new AnnotationKeyword("x-rsynth-image")).build();
        return SchemaRegistry.withDefaultDialect(dialect,
                b -> b.schemas(Map.of(IMAGE_SCHEMA, imageSchema())));
    }

    private static List<String> messages(List<Error> errors) {
        return errors.stream().map(Error::toString).distinct().toList();
    }

    /** The shared image schema, from this jar (a plugin outside the repository has no schemas/ directory). */
    private static String imageSchema() {
        try (InputStream in = SchemaChecks.class.getResourceAsStream("/schemas/image.v1.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("the test kit jar lacks /schemas/image.v1.schema.json");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the test kit's image schema", e);
        }
    }

    private static Path schemasDir() {
        return Path.of(System.getProperty("user.dir"), "..", "..", "schemas");
    }

    private static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static void expect(List<String> problems, Object expected, Object actual, String what) {
        if (!expected.equals(actual)) {
            problems.add(what + " is " + actual + ", expected " + expected);
        }
    }
}
