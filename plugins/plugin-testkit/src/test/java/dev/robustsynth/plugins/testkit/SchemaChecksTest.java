package dev.robustsynth.plugins.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Schema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchemaChecksTest {
    private static final Set<String> SKETCH = Set.of("image", "class", "invert", "layoutLambda", "layoutFactor", "eps",
            "stepSize", "steps", "keepBest");

    @Test
    void theRepositorySchemaPassesAndItsCompiledFormValidatesParameterSets() {
        Schema schema = SchemaChecks.check(SchemaChecks.repositoryCopy("sketch"), "sketch", SKETCH);
        Map<String, Object> image = Map.of("uri", "file:///tmp/drawing.png");
        assertEquals(List.of(), SchemaChecks.violations(schema, Map.of("image", image, "class", "bag",
                "steps", 10)), "a good parameter set, its image checked against the shared image schema");
        assertFalse(SchemaChecks.violations(schema, Map.of("image", Map.of("url", "x"), "class", "bag")).isEmpty(),
                "an image reference the image schema refuses");
        assertFalse(SchemaChecks.violations(schema, Map.of("image", image, "class", "bag", "colour", 1)).isEmpty(),
                "an unknown parameter is refused");
        assertFalse(SchemaChecks.violations(schema, Map.of("image", image, "class", "bag", "steps", -1)).isEmpty());
    }

    @Test
    void anUnresolvableReferenceIsReported() {
        String text = SchemaChecks.repositoryCopy("sketch").replace("#/$defs/eps\"", "#/$defs/epsilon\"");
        AssertionError error = assertThrows(AssertionError.class, () -> SchemaChecks.check(text, "sketch", SKETCH));
        assertTrue(error.getMessage().contains("epsilon"), error.getMessage());
    }

    @Test
    void aSchemaTheMetaSchemaRefusesIsReported() {
        String text = SchemaChecks.repositoryCopy("sketch").replaceFirst("\"type\": \"boolean\"", "\"type\": 5");
        AssertionError error = assertThrows(AssertionError.class, () -> SchemaChecks.check(text, "sketch", SKETCH));
        assertTrue(error.getMessage().contains("type"), error.getMessage());
    }

    @Test
    void propertiesThatAreNotTheParametersTheTaskReadsAreReported() {
        AssertionError error = assertThrows(AssertionError.class, () -> SchemaChecks.check(
                SchemaChecks.repositoryCopy("sketch"), "sketch", Set.of("image", "class")));
        assertTrue(error.getMessage().contains("differ from the parameters"), error.getMessage());
    }
}
