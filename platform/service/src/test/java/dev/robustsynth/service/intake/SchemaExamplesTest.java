package dev.robustsynth.service.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Schema;
import dev.robustsynth.service.message.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * The examples under schemas/examples/ against the schemas: {@code <kind>.<name>.json} must validate against
 * {@code <kind>.v1.schema.json} ({@code task-<type>} against {@code tasks/<type>.v1.schema.json}), and every file
 * under examples/invalid/ must not. Every task schema in schemas/tasks/ must compile.
 */
class SchemaExamplesTest {
    private static final Path SCHEMAS = Path.of("../../schemas");
    private final SchemaCatalog catalog = catalogWithAllTasks();

    private static SchemaCatalog catalogWithAllTasks() {
        SchemaCatalog catalog = new SchemaCatalog();
        for (Path file : list(SCHEMAS.resolve("tasks"))) {
            String type = file.getFileName().toString().replace(".v1.schema.json", "");
            try {
                catalog.registerTask(type, Files.readString(file));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return catalog;
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Schema schemaFor(Path example) {
        String kind = example.getFileName().toString().split("\\.")[0];
        if (kind.startsWith("task-")) {
            return catalog.task(kind.substring("task-".length())).orElseThrow(
                    () -> new AssertionError("no task schema for " + example));
        }
        return catalog.message(kind + ".v1.schema.json");
    }

    private static JsonNode read(Path file) {
        try {
            return Json.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> validExamplesValidate() {
        List<Path> examples = list(SCHEMAS.resolve("examples"));
        assertTrue(examples.size() >= 10, "examples: " + examples);
        return examples.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            List<String> problems = SchemaCatalog.problems(schemaFor(f), read(f), "");
            assertEquals(List.of(), problems, f.toString());
        }));
    }

    @TestFactory
    Stream<DynamicTest> invalidExamplesAreRefused() {
        List<Path> examples = list(SCHEMAS.resolve("examples/invalid"));
        assertTrue(examples.size() >= 8, "invalid examples: " + examples);
        return examples.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            List<String> problems = SchemaCatalog.problems(schemaFor(f), read(f), "");
            assertFalse(problems.isEmpty(), f + " should be invalid");
        }));
    }

    @Test
    void problemsNameTheLocationAndWhatWasExpected() {
        JsonNode params = Json.parse("{\"image\": {\"uri\": \"file:///x.png\"}, \"steps\": 100000}".getBytes());
        List<String> problems = SchemaCatalog.problems(catalog.task("echo").orElseThrow(), params, "params");
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("params/steps") || problems.get(0).startsWith("params.steps"),
                problems.get(0));
        assertTrue(problems.get(0).contains("1000"), problems.get(0));
    }

    @Test
    void everyTaskSchemaCompilesAndEveryMessageSchemaIsShipped() {
        List<String> tasks = new ArrayList<>();
        list(SCHEMAS.resolve("tasks")).forEach(f -> tasks.add(f.getFileName().toString()));
        assertTrue(tasks.contains("echo.v1.schema.json"));
        for (String file : SchemaCatalog.MESSAGE_SCHEMAS) {
            assertTrue(Files.exists(SCHEMAS.resolve(file)), file);
        }
    }

    @Test
    void imageModeAnnotationIsReadFromTheTaskSchema() {
        JsonNode echo = catalog.taskSchemaNode("echo").orElseThrow();
        assertEquals(ImageMode.MODEL, ImageMode.declared(echo, "image"));
        assertEquals(ImageMode.MODEL, ImageMode.declared(echo, "absent"));
        catalog.taskSchemaNode("inpaint").ifPresent(s -> assertEquals(ImageMode.MASK, ImageMode.declared(s, "mask")));
        catalog.taskSchemaNode("superres").ifPresent(s ->
                assertEquals(ImageMode.ANY_SIZE, ImageMode.declared(s, "image")));
    }
}
