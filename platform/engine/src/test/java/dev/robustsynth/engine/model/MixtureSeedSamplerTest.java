package dev.robustsynth.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.pgd.Resample;
import dev.robustsynth.engine.optim.SpecPlanner;
import dev.robustsynth.engine.testing.ModelDirs;
import dev.robustsynth.engine.testing.TinyLinearModel;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.SeedSampler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixtureSeedSamplerTest {
    @TempDir
    Path tmp;

    static final int CLASSES = 3;
    static final int SIDE = ModelDirs.SEED_SIZE;
    static final int DIM = SIDE * SIDE;
    /** Component j of every class is the constant image LEVELS[j]. */
    static final float[] LEVELS = {0.1f, 0.5f, 0.9f};
    static final float[] WEIGHTS = {0.2f, 0.3f, 0.5f};
    static final float SCALE = 0.5f;

    /** 1×4×4 class Gaussians: means 0.3 + 0.1·k, L = 0.05·I (the same as {@link ModelDirs}), served at 8×8. */
    static GaussianSeedSampler gaussian() {
        float[][] means = new float[CLASSES][DIM];
        float[][] factors = new float[CLASSES][DIM * (DIM + 1) / 2];
        for (int k = 0; k < CLASSES; k++) {
            Arrays.fill(means[k], 0.3f + 0.1f * k);
            int at = 0;
            for (int i = 0; i < DIM; i++) {
                for (int j = 0; j <= i; j++) {
                    factors[k][at++] = i == j ? 0.05f : 0f;
                }
            }
        }
        return new GaussianSeedSampler(CLASSES, 1, SIDE, SIDE, 8, 8, means, factors);
    }

    /** Per class: scale, weights, K constant means; little-endian float32. */
    static byte[] mixture(float scale, float[] weights, float[] levels) {
        int k = weights.length;
        ByteBuffer out = ByteBuffer.allocate(CLASSES * (1 + k + k * DIM) * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < CLASSES; c++) {
            out.putFloat(scale);
            for (float w : weights) {
                out.putFloat(w);
            }
            for (float level : levels) {
                for (int i = 0; i < DIM; i++) {
                    out.putFloat(level);
                }
            }
        }
        return out.array();
    }

    MixtureSeedSampler read(byte[] bytes, int components) throws Exception {
        Path file = Files.write(tmp.resolve("seeds-mixture.bin"), bytes);
        return MixtureSeedSampler.read(file, gaussian(), components);
    }

    @Test
    void everyClassHasTheFilesComponentsAndTheirMeans() throws Exception {
        MixtureSeedSampler sampler = read(mixture(SCALE, WEIGHTS, LEVELS), 3);
        for (int k = 0; k < CLASSES; k++) {
            assertEquals(3, sampler.components(k));
            assertEquals(SCALE, sampler.scale(k));
            for (int j = 0; j < 3; j++) {
                float[] expected = new float[DIM];
                Arrays.fill(expected, LEVELS[j]);
                assertArrayEquals(expected, sampler.mean(k, j));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> sampler.components(CLASSES));
        assertThrows(IllegalArgumentException.class, () -> sampler.sample(-1, new SplittableRandom(1)));
    }

    @Test
    void aSamplesNearestComponentMeanIsTheComponentItWasDrawnFrom() throws Exception {
        MixtureSeedSampler sampler = read(mixture(SCALE, WEIGHTS, LEVELS), 3);
        int[] drawn = new int[3];
        int own = 0;
        int n = 600;
        for (int s = 0; s < n; s++) {
            int k = s % CLASSES;
            int expected = sampler.component(k, new SplittableRandom(s).nextDouble());
            drawn[expected]++;
            Image seed = sampler.sample(k, new SplittableRandom(s));
            assertEquals("1x8x8", seed.shape());
            int nearest = 0;
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < 3; j++) {
                double d = 0;
                for (float v : seed.pixels()) {
                    assertTrue(v >= 0f && v <= 1f, "seed pixel " + v + " outside [0,1]");
                    d += (v - LEVELS[j]) * (v - LEVELS[j]);
                }
                if (d < best) {
                    best = d;
                    nearest = j;
                }
            }
            own += nearest == expected ? 1 : 0;
        }
        assertTrue(own >= 0.95 * n, own + " of " + n + " samples lie nearest their own component");
        for (int j = 0; j < 3; j++) {
            assertEquals(WEIGHTS[j], drawn[j] / (double) n, 0.06, "component " + j + " drawn with its weight");
        }
    }

    @Test
    void samplesStayInsideTheUnitBoxEvenWhenTheComponentsSitOnItsEdges() throws Exception {
        MixtureSeedSampler sampler = read(mixture(4f, new float[] {0.5f, 0.5f}, new float[] {0f, 1f}), 2);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 50; i++) {
            for (float v : sampler.sample(i % CLASSES, random).pixels()) {
                assertTrue(v >= 0f && v <= 1f, "seed pixel " + v + " outside [0,1]");
            }
        }
    }

    @Test
    void singleGaussianSeedsAreBitIdenticalToTheDocumentedFormula() throws Exception {
        GaussianSeedSampler gaussian = gaussian();
        MixtureSeedSampler sampler = read(mixture(SCALE, WEIGHTS, LEVELS), 3);
        for (int k = 0; k < CLASSES; k++) {
            SplittableRandom r = new SplittableRandom(40 + k);
            float[] small = new float[DIM];
            double[] z = new double[DIM];
            for (int i = 0; i < DIM; i++) {
                z[i] = r.nextGaussian();
            }
            for (int i = 0; i < DIM; i++) {
                double v = 0.3f + 0.1f * k;
                for (int j = 0; j <= i; j++) {
                    v += (i == j ? 0.05f : 0f) * z[j];
                }
                small[i] = (float) Math.min(1.0, Math.max(0.0, v));
            }
            Image expected = ImageCodec.resize(new Image(1, SIDE, SIDE, small), 8, 8, Resample.BILINEAR);
            assertEquals(expected, gaussian.sample(k, new SplittableRandom(40 + k)));
            assertEquals(expected, sampler.sampleSingleGaussian(k, new SplittableRandom(40 + k)));
        }
    }

    @Test
    void zeroWeightComponentsAreNeverDrawn() throws Exception {
        MixtureSeedSampler sampler = read(mixture(SCALE, new float[] {0f, 1f, 0f}, LEVELS), 3);
        for (double u : new double[] {0.0, 0.25, 0.999999, Math.nextDown(1.0)}) {
            assertEquals(1, sampler.component(0, u));
        }
    }

    @Test
    void aFileOfTheWrongSizeOrWithBadWeightsIsRefusedNamingTheFile() throws Exception {
        byte[] good = mixture(SCALE, WEIGHTS, LEVELS);
        ModelLoadException truncated = assertThrows(ModelLoadException.class,
                () -> read(Arrays.copyOf(good, good.length - 4), 3));
        assertTrue(truncated.getMessage().contains("seeds-mixture.bin") && truncated.getMessage().contains("bytes"),
                truncated.getMessage());
        ModelLoadException components = assertThrows(ModelLoadException.class, () -> read(good, 4));
        assertTrue(components.getMessage().contains("4 components"), components.getMessage());
        ModelLoadException weights = assertThrows(ModelLoadException.class,
                () -> read(mixture(SCALE, new float[] {0.2f, 0.2f, 0.2f}, LEVELS), 3));
        assertTrue(weights.getMessage().contains("seeds-mixture.bin") && weights.getMessage().contains("sum"),
                weights.getMessage());
        assertThrows(ModelLoadException.class, () -> read(mixture(Float.NaN, WEIGHTS, LEVELS), 3));
        assertThrows(ModelLoadException.class, () -> read(mixture(SCALE, new float[] {1.2f, -0.2f, 0f}, LEVELS), 3));
        assertThrows(ModelLoadException.class, () -> read(good, 0));
    }

    @Test
    void everyShippedMixtureLoadsWithItsCardsComponentsAndDrawsSeedsInTheUnitBox() throws Exception {
        Path models = Path.of(System.getProperty("rsynth.models", "../../models"));
        if (!Files.isDirectory(models)) {
            return;
        }
        List<Path> dirs;
        try (var list = Files.list(models)) {
            dirs = list.filter(d -> Files.isRegularFile(d.resolve("model.json"))).sorted().toList();
        }
        for (Path dir : dirs) {
            ModelCard card = ModelCard.read(dir.resolve("model.json"));
            if (card.seeds() == null || card.seedMixture() == null) {
                continue;
            }
            GaussianSeedSampler g = GaussianSeedSampler.read(dir.resolve(card.seeds().file()), card.classes().size(),
                    card.seeds(), card.input().height(), card.input().width());
            MixtureSeedSampler m = MixtureSeedSampler.read(dir.resolve(card.seedMixtureFile()), g,
                    card.seedMixture().components());
            SplittableRandom random = new SplittableRandom(5);
            for (int k = 0; k < card.classes().size(); k++) {
                assertEquals(card.seedMixture().components(), m.components(k), dir.toString());
                assertTrue(m.scale(k) > 0 && m.scale(k) <= 1, dir + " class " + k + " scale " + m.scale(k));
                Image seed = m.sample(k, random);
                assertEquals(card.input().channels() + "x" + card.input().height() + "x" + card.input().width(),
                        seed.shape());
                for (float v : seed.pixels()) {
                    assertTrue(v >= 0f && v <= 1f, dir + ": seed pixel " + v + " outside [0,1]");
                }
            }
        }
    }

    // --- the registry ---

    ModelRegistry load(Path root) {
        ModelRegistry.Options options = new ModelRegistry.Options(2, false, new SpecPlanner(100, 8), Optional.empty());
        return ModelRegistry.load(Optional.of(root), List.of(), TinyLinearModel.compiler(), ModelRegistryTest.SESSIONS,
                options);
    }

    static void addMixture(Path dir, String block, byte[] file) throws Exception {
        Path card = dir.resolve("model.json");
        Files.writeString(card, Files.readString(card).replace("\"synthesisDefaults\"",
                "\"seedMixture\": " + block + ",\n \"synthesisDefaults\""));
        if (file != null) {
            Files.write(dir.resolve("seeds-mixture.bin"), file);
        }
    }

    static final String BLOCK = "{\"file\": \"seeds-mixture.bin\", \"components\": 3, \"kind\": \"tied-scaled-cholesky\"}";

    @Test
    void aModelDirectoryIsServedWithAndWithoutItsMixture() throws Exception {
        Path root = tmp.resolve("models");
        TinyLinearModel model = new TinyLinearModel(1, 8, 8, CLASSES, 1);
        ModelDirs.writeTiny(root, "plain", model);
        addMixture(ModelDirs.writeTiny(root, "mixed", model), BLOCK, mixture(SCALE, WEIGHTS, LEVELS));
        addMixture(ModelDirs.writeTiny(root, "future-kind", model),
                BLOCK.replace("tied-scaled-cholesky", "full-covariance"), mixture(SCALE, WEIGHTS, LEVELS));
        addMixture(ModelDirs.writeTiny(root, "file-missing", model), BLOCK, null);
        try (ModelRegistry registry = load(root)) {
            assertTrue(registry.failures().isEmpty(), registry.failures().toString());
            SeedSampler plain = registry.get("plain").orElseThrow().seeds().orElseThrow();
            SeedSampler mixed = registry.get("mixed").orElseThrow().seeds().orElseThrow();
            assertInstanceOf(GaussianSeedSampler.class, plain);
            assertInstanceOf(MixtureSeedSampler.class, mixed);
            for (int k = 0; k < CLASSES; k++) {
                assertEquals(1, plain.components(k));
                assertEquals(3, mixed.components(k));
                assertEquals(plain.sample(k, new SplittableRandom(k)), mixed.sampleSingleGaussian(k,
                        new SplittableRandom(k)), "the single Gaussian does not change with a mixture beside it");
            }
            Image seed = mixed.sample(1, new SplittableRandom(8));
            assertEquals("1x8x8", seed.shape());
            for (String name : List.of("future-kind", "file-missing")) {
                assertEquals(1, registry.get(name).orElseThrow().seeds().orElseThrow().components(0), name);
            }
        }
    }

    @Test
    void aTruncatedMixtureFileRefusesTheModelWithAReasonNamingTheFile() throws Exception {
        Path root = tmp.resolve("models");
        TinyLinearModel model = new TinyLinearModel(1, 8, 8, CLASSES, 1);
        byte[] good = mixture(SCALE, WEIGHTS, LEVELS);
        addMixture(ModelDirs.writeTiny(root, "truncated", model), BLOCK, Arrays.copyOf(good, good.length / 2));
        addMixture(ModelDirs.writeTiny(root, "no-components", model), BLOCK.replace("3", "0"), good);
        ModelDirs.writeTiny(root, "fine", model);
        try (ModelRegistry registry = load(root)) {
            assertEquals(List.of("fine"), List.copyOf(registry.names()));
            String reason = registry.failures().get("truncated");
            assertTrue(reason.contains("seeds-mixture.bin") && reason.contains(good.length / 2 + " bytes"), reason);
            assertTrue(registry.failures().get("no-components").contains("seedMixture.components"),
                    registry.failures().get("no-components"));
        }
    }
}
