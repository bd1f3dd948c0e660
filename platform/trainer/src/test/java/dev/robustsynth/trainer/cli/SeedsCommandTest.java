package dev.robustsynth.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.trainer.export.SeedMixture;
import dev.robustsynth.trainer.export.SeedStatistics;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SeedsCommandTest {

    @TempDir
    Path dir;

    private void writeImages(String... classes) throws Exception {
        Random r = new Random(1);
        for (String cls : classes) {
            Files.createDirectories(dir.resolve("imgs").resolve(cls));
            for (int i = 0; i < 12; i++) {
                BufferedImage img = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
                for (int y = 0; y < 20; y++) {
                    for (int x = 0; x < 20; x++) {
                        img.setRGB(x, y, r.nextInt(1 << 24));
                    }
                }
                ImageIO.write(img, "png", dir.resolve("imgs").resolve(cls).resolve(i + ".png").toFile());
            }
        }
    }

    @Test
    void computesSeedStatisticsAndMixturesForAnImageFolder() throws Exception {
        writeImages("cat", "dog");
        Path out = dir.resolve("seeds.bin");
        int rc = new CommandLine(new TrainCommand()).execute("seeds", "--images", dir.resolve("imgs").toString(),
                "--load-size", "8", "--size", "4", "--ridge", "0.01", "--out", out.toString());
        assertEquals(0, rc);
        SeedStatistics s = SeedStatistics.read(out, 2, 3, 4, 4, 0.01);
        assertNotEquals(s.means().get(0)[0], s.means().get(1)[0]);
        SeedMixture m = SeedMixture.read(dir.resolve(SeedMixture.FILE), 2, 3, 4, 4, SeedMixture.DEFAULT_COMPONENTS);
        assertEquals(2, m.classes().size());
        assertEquals(0, new CommandLine(new TrainCommand()).execute("--help"));
        assertNotEquals(0, new CommandLine(new TrainCommand()).execute("train", "--preset", "no-such-preset"));
    }

    @Test
    void aModelDirectoryGetsNewSeedFilesAndOnlyItsSeedBlocksChange() throws Exception {
        writeImages("cat", "dog");
        Path model = Files.createDirectories(dir.resolve("model"));
        String original = """
                {
                  "name" : "my-model",
                  "formatVersion" : 1,
                  "classes" : [ "cat", "dog" ],
                  "input" : {
                    "channels" : 3,
                    "height" : 8,
                    "width" : 8
                  },
                  "recipe" : {
                    "weightDecay" : 5.0E-4,
                    "attack" : null
                  },
                  "seeds" : {
                    "file" : "old-seeds.bin",
                    "channels" : 3,
                    "height" : 2,
                    "width" : 2,
                    "kind" : "gaussian-cholesky",
                    "ridge" : 0.5
                  },
                  "synthesisDefaults" : {
                    "eps" : 15.0,
                    "stepSize" : 0.5,
                    "steps" : 60
                  },
                  "custom" : [ 1, 2.5, "x" ]
                }""";
        Files.writeString(model.resolve("model.json"), original);
        String[] args = {"seeds", "--images", dir.resolve("imgs").toString(), "--load-size", "8", "--size", "4",
            "--components", "3", "--model-dir", model.toString()};
        assertEquals(0, new CommandLine(new TrainCommand()).execute(args));
        byte[] seeds = Files.readAllBytes(model.resolve("old-seeds.bin"));
        byte[] mixture = Files.readAllBytes(model.resolve(SeedMixture.FILE));
        assertEquals(SeedMixture.fileSize(2, 3, 48), mixture.length);
        assertEquals(2L * (48 + 48 * 49 / 2) * 4, seeds.length);
        String patched = Files.readString(model.resolve("model.json"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode before = (ObjectNode) json.readTree(original);
        ObjectNode after = (ObjectNode) json.readTree(patched);
        for (String field : List.of("name", "formatVersion", "classes", "input", "recipe", "synthesisDefaults",
                "custom")) {
            assertEquals(before.get(field), after.get(field), field);
        }
        assertEquals(4, after.get("seeds").get("height").asInt());
        assertEquals(1e-4, after.get("seeds").get("ridge").asDouble());
        assertEquals(3, after.get("seedMixture").get("components").asInt());
        assertEquals(SeedMixture.FILE, after.get("seedMixture").get("file").asText());
        String unchangedPart = original.substring(0, original.indexOf("  \"seeds\""));
        assertTrue(patched.startsWith(unchangedPart), "fields before the seeds are written byte for byte\n" + patched);
        assertTrue(patched.endsWith(original.substring(original.indexOf("  \"synthesisDefaults\""))), patched);

        assertEquals(0, new CommandLine(new TrainCommand()).execute(args));
        assertArrayEquals(seeds, Files.readAllBytes(model.resolve("old-seeds.bin")), "deterministic");
        assertArrayEquals(mixture, Files.readAllBytes(model.resolve(SeedMixture.FILE)), "deterministic");
        assertEquals(patched, Files.readString(model.resolve("model.json")));
    }

    @Test
    void aModelDirectoryWithOtherClassesIsRefused() throws Exception {
        writeImages("cat", "dog");
        Path model = Files.createDirectories(dir.resolve("model"));
        Files.writeString(model.resolve("model.json"),
                "{\"classes\": [\"a\", \"b\", \"c\"], \"input\": {\"channels\": 3, \"height\": 8, \"width\": 8}}");
        assertNotEquals(0, new CommandLine(new TrainCommand()).execute("seeds", "--images",
                dir.resolve("imgs").toString(), "--load-size", "8", "--size", "4", "--model-dir", model.toString()));
        assertFalse(Files.exists(model.resolve("seeds.bin")));
        assertNotEquals(0, new CommandLine(new TrainCommand()).execute("seeds", "--images",
                dir.resolve("imgs").toString(), "--preset", "fashion-standard", "--out", "x.bin"),
                "one source only");
    }
}
