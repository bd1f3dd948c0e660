package dev.robustsynth.trainer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.robustsynth.trainer.Preset;
import dev.robustsynth.trainer.Presets;
import dev.robustsynth.trainer.model.ArchitectureSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Generated cards, the documented example and the shipped cards validate against the schema. */
class ModelCardSchemaTest {

    static final Path SCHEMA = Path.of("../../schemas/model-card.v1.schema.json");

    static Schema schema() throws Exception {
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(Files.readString(SCHEMA));
    }

    static ModelCard card(Preset p) {
        ArchitectureSpec spec = ArchitectureSpec.of(p.train().family(), p.train().width(), p.mean().length, 32, 32, 10,
                p.mean(), p.std());
        Metrics m = new Metrics(10000, 0.8, List.of(new Metrics.Robust("l2", 0.5, 20, 0.0625, 1000, 0.6)));
        SeedStatistics seeds = new SeedStatistics(p.mean().length, 16, 16, 1e-4, List.of(), List.of());
        return new ModelCard(p.name(), List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), spec, p.train(), 3540,
                m, "0".repeat(64), seeds, p.synthesis());
    }

    @Test
    void generatedCardsOfEveryPresetAreValid() throws Exception {
        Schema schema = schema();
        for (String name : Presets.names()) {
            ObjectNode json = card(Presets.get(name)).toJson();
            List<Error> errors = schema.validate(json.toString(), InputFormat.JSON);
            assertTrue(errors.isEmpty(), name + ": " + errors + "\n" + json.toPrettyString());
            assertEquals(name.contains("robust"), !json.get("threatModel").isNull());
        }
    }

    @Test
    void brokenCardsAreRejected() throws Exception {
        Schema schema = schema();
        ObjectNode json = card(Presets.get("cifar10-robust-l2")).toJson();
        json.with("onnx").put("sha256", "xyz");
        json.with("threatModel").put("norm", "l3");
        json.remove("classes");
        List<Error> errors = schema.validate(json.toString(), InputFormat.JSON);
        assertTrue(errors.size() >= 3, errors.toString());
    }

    @Test
    void shippedCardsAreValid() throws Exception {
        Schema schema = schema();
        Path models = Path.of("../../models");
        if (!Files.isDirectory(models)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(models)) {
            for (Path card : dirs.map(d -> d.resolve("model.json")).filter(Files::isRegularFile).toList()) {
                List<Error> errors = schema.validate(Files.readString(card), InputFormat.JSON);
                assertFalse(!errors.isEmpty(), card + ": " + errors);
            }
        }
    }
}
