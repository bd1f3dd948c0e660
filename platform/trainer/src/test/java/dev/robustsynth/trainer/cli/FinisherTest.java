package dev.robustsynth.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.robustsynth.trainer.TestData;
import dev.robustsynth.trainer.data.LabeledImages;
import dev.robustsynth.trainer.export.SeedMixture;
import dev.robustsynth.trainer.export.SeedStatistics;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code train --out} (through {@link Finisher#export}) ships the seed mixture with the seed statistics. */
class FinisherTest {

    @TempDir
    Path dir;

    /** The first {@code n} images of {@code data} as the gzip'd IDX pair Fashion-MNIST comes in. */
    static void writeIdx(LabeledImages data, int n, Path folder, String prefix) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(
                Files.newOutputStream(folder.resolve(prefix + "-images-idx3-ubyte.gz"))))) {
            out.writeInt(0x0803);
            out.writeInt(n);
            out.writeInt(data.height());
            out.writeInt(data.width());
            out.write(data.pixels(), 0, n * data.imageSize());
        }
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(
                Files.newOutputStream(folder.resolve(prefix + "-labels-idx1-ubyte.gz"))))) {
            out.writeInt(0x0801);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(data.labels()[i]);
            }
        }
    }

    @Test
    void trainWithOutWritesTheSeedMixtureAndACardThatNamesIt() throws Exception {
        Path data = Files.createDirectories(dir.resolve("fashion"));
        writeIdx(TestData.fashionTrain(), 400, data, "train");
        writeIdx(TestData.fashionTest(), 300, data, "t10k");
        Path out = dir.resolve("model");
        int rc = new CommandLine(new TrainCommand()).execute("train", "--preset", "fashion-standard", "--data",
                data.toString(), "--checkpoints", dir.resolve("ckpt").toString(), "--epochs", "1", "--max-batches",
                "1", "--robust-images", "2", "--width", "8", "--out", out.toString());
        assertEquals(0, rc);
        JsonNode card = new ObjectMapper().readTree(out.resolve("model.json").toFile());
        List<String> fields = new ArrayList<>();
        card.fieldNames().forEachRemaining(fields::add);
        assertEquals(fields.indexOf("seeds") + 1, fields.indexOf("seedMixture"), fields.toString());
        assertEquals(SeedMixture.FILE, card.get("seedMixture").get("file").asText());
        assertEquals(SeedMixture.KIND, card.get("seedMixture").get("kind").asText());
        assertEquals(SeedMixture.DEFAULT_COMPONENTS, card.get("seedMixture").get("components").asInt());
        assertEquals(SeedStatistics.KIND, card.get("seeds").get("kind").asText());
        assertEquals(14, card.get("seeds").get("height").asInt());
        SeedMixture m = SeedMixture.read(out.resolve(SeedMixture.FILE), 10, 1, 14, 14, 5);
        for (SeedMixture.ClassMixture c : m.classes()) {
            assertTrue(c.scale() > 0 && c.scale() <= 1, "scale " + c.scale());
        }
        assertTrue(Files.isRegularFile(out.resolve(SeedStatistics.FILE)));
        var schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.readString(Path.of("../../schemas/model-card.v1.schema.json")));
        var errors = schema.validate(Files.readString(out.resolve("model.json")), InputFormat.JSON);
        assertTrue(errors.isEmpty(), errors.toString());
    }
}
