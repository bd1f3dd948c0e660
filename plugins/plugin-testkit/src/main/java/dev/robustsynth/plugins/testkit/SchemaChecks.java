package dev.robustsynth.plugins.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Structural checks of a task's parameter schema without a JSON Schema library: draft 2020-12, the agreed
 * {@code $id}, a closed object whose properties are exactly the parameters the task reads, required names among
 * them, and every {@code $ref} either local or the shared image schema.
 */
public final class SchemaChecks {
    public static final String DRAFT = "https://json-schema.org/draft/2020-12/schema";
    public static final String IMAGE_SCHEMA = "https://robustsynth.dev/schemas/image.v1.schema.json";

    private SchemaChecks() {
    }

    /** The repository's copy of {@code type}'s schema, read relative to a plugin module's directory. */
    public static String repositoryCopy(String type) {
        Path path = Path.of(System.getProperty("user.dir"), "..", "..", "schemas", "tasks", type + ".v1.schema.json");
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /**
     * Checks {@code text} and returns it parsed.
     *
     * @throws AssertionError listing every problem found
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> check(String text, String type, Set<String> parameters) {
        Map<String, Object> schema = MiniJson.parseObject(text);
        List<String> problems = new ArrayList<>();
        expect(problems, DRAFT, schema.get("$schema"), "$schema");
        expect(problems, "https://robustsynth.dev/schemas/tasks/" + type + ".v1.schema.json", schema.get("$id"), "$id");
        expect(problems, "object", schema.get("type"), "type");
        expect(problems, false, schema.get("additionalProperties"), "additionalProperties");
        Map<String, Object> properties = (Map<String, Object>) schema.getOrDefault("properties", Map.of());
        if (!new TreeSet<>(properties.keySet()).equals(new TreeSet<>(parameters))) {
            problems.add("properties " + new TreeSet<>(properties.keySet()) + " differ from the parameters the task reads "
                    + new TreeSet<>(parameters));
        }
        for (Object name : (List<Object>) schema.getOrDefault("required", List.of())) {
            if (!properties.containsKey(name)) {
                problems.add("required '" + name + "' is not a property");
            }
        }
        Map<String, Object> defs = (Map<String, Object>) schema.getOrDefault("$defs", Map.of());
        checkRefs(schema, defs, problems);
        if (!problems.isEmpty()) {
            throw new AssertionError("schema of " + type + ": " + String.join("; ", problems));
        }
        return schema;
    }

    @SuppressWarnings("unchecked")
    private static void checkRefs(Object node, Map<String, Object> defs, List<String> problems) {
        if (node instanceof Map<?, ?> map) {
            Object ref = map.get("$ref");
            if (ref instanceof String s && !s.equals(IMAGE_SCHEMA)
                    && !(s.startsWith("#/$defs/") && defs.containsKey(s.substring("#/$defs/".length())))) {
                problems.add("unresolvable $ref " + s);
            }
            for (Object child : ((Map<String, Object>) map).values()) {
                checkRefs(child, defs, problems);
            }
        } else if (node instanceof List<?> list) {
            for (Object child : list) {
                checkRefs(child, defs, problems);
            }
        }
    }

    private static void expect(List<String> problems, Object expected, Object actual, String what) {
        if (!expected.equals(actual)) {
            problems.add(what + " is " + actual + ", expected " + expected);
        }
    }
}
