package dev.robustsynth.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import dev.robustsynth.engine.optim.SpecPlanner;
import dev.robustsynth.engine.runtime.ExecutionProvider;
import dev.robustsynth.engine.runtime.SessionFactory;
import dev.robustsynth.engine.testing.ModelDirs;
import dev.robustsynth.engine.testing.TinyLinearModel;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Norm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRegistryTest {
    @TempDir
    Path tmp;

    static final SessionFactory SESSIONS = new SessionFactory(OrtEnvironment.getEnvironment(), ExecutionProvider.AUTO,
            1, 1);

    /** The tiny model's compiler, counting its compilations, under a chosen version. */
    static final class Counting implements GraphCompiler {
        final AtomicInteger calls = new AtomicInteger();
        final String version;

        Counting(String version) {
            this.version = version;
        }

        @Override
        public String version() {
            return version;
        }

        @Override
        public CompiledGraphs compile(byte[] forwardModel, List<String> layers) throws Exception {
            calls.incrementAndGet();
            return TinyLinearModel.compiler().compile(forwardModel, layers);
        }
    }

    ModelRegistry load(Path root, List<Path> extra, GraphCompiler compiler, Optional<Path> cache) {
        ModelRegistry.Options options = new ModelRegistry.Options(4, true, new SpecPlanner(100, 8),
                cache.map(GraphCache::new));
        return ModelRegistry.load(Optional.of(root), extra, compiler, SESSIONS, options);
    }

    @Test
    void aModelDirectoryIsServedWithItsCardSeedsAndGraphs() throws Exception {
        Path root = tmp.resolve("models");
        TinyLinearModel model = new TinyLinearModel(3, 8, 8, 5, 1);
        ModelDirs.writeTiny(root, "tiny-a", model);
        try (ModelRegistry registry = load(root, List.of(), new Counting("v1"), Optional.empty())) {
            assertEquals(List.of("tiny-a"), List.copyOf(registry.names()));
            LoadedModel loaded = registry.get("tiny-a").orElseThrow();
            ModelInfo info = loaded.info();
            assertEquals("3x8x8", info.inputShape());
            assertEquals(5, info.numClasses());
            assertEquals(ModelDirs.sha256(model.forwardModel()), info.sha256());
            assertEquals(Norm.L2, info.threatModel().orElseThrow().norm());
            assertEquals(20, info.defaults().steps());
            assertEquals("features", info.layers().get(0).name());
            assertEquals("cpu", loaded.provider());
            assertTrue(loaded.seeds().isPresent());
            Image a = loaded.seeds().get().sample(2, new SplittableRandom(9));
            Image b = loaded.seeds().get().sample(2, new SplittableRandom(9));
            assertEquals(a, b, "seeds are a function of the generator's state");
            assertEquals("3x8x8", a.shape());
            assertEquals(0.5f, a.at(0, 4, 4), 0.3f, "around the class mean 0.5");
            assertTrue(registry.failures().isEmpty());
            assertTrue(loaded.sharedWeightBytes() > 0, "the two sessions share the weight matrix");
        }
    }

    @Test
    void aChecksumMismatchRefusesThatModelAndServesTheRest() throws Exception {
        Path root = tmp.resolve("models");
        ModelDirs.writeTiny(root, "good", new TinyLinearModel(1, 4, 4, 3, 1));
        Path bad = ModelDirs.writeTiny(root, "bad", new TinyLinearModel(1, 4, 4, 3, 2));
        Files.write(bad.resolve("model.onnx"), new TinyLinearModel(1, 4, 4, 3, 3).forwardModel());
        try (ModelRegistry registry = load(root, List.of(), new Counting("v1"), Optional.empty())) {
            assertEquals(List.of("good"), List.copyOf(registry.names()));
            String reason = registry.failures().get("bad");
            assertTrue(reason.contains("sha256") && reason.contains("declares"), reason);
        }
    }

    @Test
    void compiledGraphsAreCachedByChecksumCompilerVersionAndLayers() throws Exception {
        Path root = tmp.resolve("models");
        ModelDirs.writeTiny(root, "tiny", new TinyLinearModel(1, 4, 4, 3, 1));
        Path cache = tmp.resolve("cache");
        Counting v1 = new Counting("v1");
        load(root, List.of(), v1, Optional.of(cache)).close();
        load(root, List.of(), v1, Optional.of(cache)).close();
        assertEquals(1, v1.calls.get(), "the second start reads the cache");
        Counting v2 = new Counting("v2");
        load(root, List.of(), v2, Optional.of(cache)).close();
        assertEquals(1, v2.calls.get(), "another compiler version recompiles");
        try (var entries = Files.list(cache)) {
            assertEquals(2, entries.count());
        }
    }

    @Test
    void aMissingRootServesNothingAndExtraDirectoriesAreFound() throws Exception {
        Path extra = ModelDirs.writeTiny(tmp.resolve("elsewhere"), "extra-model", new TinyLinearModel(1, 4, 4, 3, 1));
        Path parentOfMany = tmp.resolve("many");
        ModelDirs.writeTiny(parentOfMany, "m1", new TinyLinearModel(1, 4, 4, 3, 2));
        ModelDirs.writeTiny(parentOfMany, "m2", new TinyLinearModel(1, 4, 4, 3, 3));
        try (ModelRegistry registry = load(tmp.resolve("absent"), List.of(extra, parentOfMany, tmp.resolve("nope")),
                new Counting("v1"), Optional.empty())) {
            assertEquals(List.of("extra-model", "m1", "m2"), List.copyOf(registry.names()));
            assertTrue(registry.failures().get("nope").contains("does not exist"));
        }
    }

    @Test
    void aBrokenCardOrARefusingCompilerIsListedWithItsReason() throws Exception {
        Path root = tmp.resolve("models");
        Path broken = Files.createDirectories(root.resolve("broken"));
        Files.writeString(broken.resolve("model.json"), "{\"classes\": [\"only-one\"], \"input\": {\"channels\": 0}}");
        Path garbage = Files.createDirectories(root.resolve("garbage"));
        Files.writeString(garbage.resolve("model.json"), "{not json");
        Path noOnnx = ModelDirs.writeTiny(root, "no-onnx", new TinyLinearModel(1, 4, 4, 3, 1));
        Files.delete(noOnnx.resolve("model.onnx"));
        ModelDirs.writeTiny(root, "refused", new TinyLinearModel(1, 4, 4, 3, 2));
        GraphCompiler refusing = new GraphCompiler() {
            @Override
            public String version() {
                return "refusing";
            }

            @Override
            public CompiledGraphs compile(byte[] forwardModel, List<String> layers) throws ModelLoadException {
                throw new ModelLoadException("unsupported operator 'Resize' at node up1");
            }
        };
        try (ModelRegistry registry = load(root, List.of(), refusing, Optional.empty())) {
            assertTrue(registry.names().isEmpty());
            assertTrue(registry.failures().get("broken").contains("'classes'"), registry.failures().get("broken"));
            assertTrue(registry.failures().get("broken").contains("'input'"), registry.failures().get("broken"));
            assertTrue(registry.failures().get("garbage").contains("not a readable model card"));
            assertTrue(registry.failures().get("no-onnx").contains("missing"));
            assertTrue(registry.failures().get("refused").contains("Resize"));
        }
    }

    @Test
    void aCardIgnoresUnknownFieldsAndFallsBackForOptionalOnes() throws Exception {
        Path file = tmp.resolve("model.json");
        Files.writeString(file, """
                {"classes": ["a", "b"], "input": {"channels": 1, "height": 2, "width": 2, "future": true},
                 "threatModel": null, "brandNew": [1, 2, 3]}""");
        ModelCard card = ModelCard.read(file);
        ModelInfo info = card.toInfo("dir-name", "ab".repeat(32));
        assertEquals("dir-name", info.name());
        assertFalse(info.threatModel().isPresent());
        assertEquals(ModelCard.FALLBACK_DEFAULTS, info.defaults());
        assertEquals("model.onnx", card.onnxFile());
        Files.writeString(file, "{\"classes\": [\"a\", \"b\"], \"input\": {\"channels\": 1, \"height\": 2, "
                + "\"width\": 2}, \"threatModel\": {\"norm\": \"l7\", \"eps\": 1}}");
        assertThrows(ModelLoadException.class, () -> ModelCard.read(file));
    }
}
