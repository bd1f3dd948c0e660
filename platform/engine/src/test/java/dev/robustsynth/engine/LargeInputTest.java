package dev.robustsynth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.engine.model.LowRankSeedSampler;
import dev.robustsynth.engine.model.SeedFitter;
import dev.robustsynth.engine.testing.ModelDirs;
import dev.robustsynth.engine.testing.Specs;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisOutcome;
import dev.robustsynth.spi.SynthesisSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 224×224, 1,000-class classifier exported by torch (mobilenet_v3_small at width 0.25, random weights:
 * src/test/python/make_large_fixture.py) served end to end: compiled, seeds of kind diag-lowrank fitted at 3×16×16
 * for all 1,000 classes, a seed drawn and a 3-step synthesis toward its class run through the scheduler.
 */
@Timeout(300)
class LargeInputTest {
    static final int CLASSES = 1000;

    @TempDir
    Path tmp;

    @Test
    void aTorchExported224ModelWithAThousandClassesSynthesisesFromLowRankSeeds() throws Exception {
        Path dir = ModelDirs.write(tmp.resolve("models"), "mnv3-224", ModelDirs.fixture("mobilenet_v3_small_224.onnx"),
                3, 224, 224, CLASSES, "none", 1);
        String card = Files.readString(dir.resolve("model.json"))
                .replace("\"layers\": [{\"name\": \"none\", \"shape\": [1], \"description\": \"an exposed layer\"}],", "")
                .replaceAll("\"seeds\": \\{[^}]*\\}", "\"seeds\": {\"file\": \"seeds.bin\", \"channels\": 3,"
                        + " \"height\": 16, \"width\": 16, \"kind\": \"diag-lowrank\", \"rank\": 4, \"ridge\": 1e-4}");
        Files.writeString(dir.resolve("model.json"), card);
        SplittableRandom random = new SplittableRandom(3);
        List<List<Image>> perClass = new ArrayList<>();
        for (int k = 0; k < CLASSES; k++) {
            List<Image> images = new ArrayList<>();
            for (int n = 0; n < 3; n++) {
                float[] px = new float[3 * 32 * 32];
                for (int i = 0; i < px.length; i++) {
                    px[i] = (float) Math.min(1, Math.max(0, (k % 10) / 10.0 + 0.2 * random.nextDouble()));
                }
                images.add(new Image(3, 32, 32, px));
            }
            perClass.add(images);
        }
        SeedFitter.Shape shape = new SeedFitter.Shape(3, 16, 16, 4, 1e-4);
        SeedFitter.fit(perClass, shape, dir.resolve("seeds.bin"));
        long perClassBytes = LowRankSeedSampler.bytesPerClass(3, 16, 16, 4);
        assertEquals(CLASSES * perClassBytes, Files.size(dir.resolve("seeds.bin")));

        long start = System.nanoTime();
        try (Engine engine = Engine.start(EngineConfig.builder().modelsDir(tmp.resolve("models")).cacheDir(null)
                .provider("cpu").intraOpThreads(2).maxBatch(4).build())) {
            long loadMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(engine.health().failedModels().isEmpty(), engine.health().failedModels().toString());
            ModelFacade model = engine.facade("mnv3-224", TaskControl.none());
            assertEquals("3x224x224", model.info().inputShape());
            assertEquals(CLASSES, model.info().numClasses());
            int target = 417;
            Image seed = model.seeds().orElseThrow().sample(target, new SplittableRandom(9));
            assertEquals(224, seed.height());
            float before = model.classify(List.of(seed)).get(0).probability(target);
            long t0 = System.nanoTime();
            SynthesisOutcome out = model.synthesize(new SynthesisSpec(List.of(SynthesisItem.of(seed,
                    Objective.towardClass(target, CLASSES))), Specs.l2(20, 2.0, 3), 0, "synthesis"));
            double stepMs = (System.nanoTime() - t0) / 1e6 / (out.stepsRun() + 1);
            float after = model.classify(List.of(out.images().get(0))).get(0).probability(target);
            System.out.printf("LargeInputTest: load %d ms, %.0f ms per evaluation at batch 1, p(target) %.5f -> %.5f,"
                    + " seeds %d KiB per class (%d MiB for %d classes)%n", loadMs, stepMs, before, after,
                    perClassBytes / 1024, CLASSES * perClassBytes >> 20, CLASSES);
            assertEquals(3, out.stepsRun());
            assertTrue(out.items().get(0).finalLoss() < out.items().get(0).startLoss(), out.items().toString());
            assertTrue(after > before, before + " -> " + after);
        }
    }

    @Test
    void aModelThatCannotFitItsMemoryBoundIsRefusedSayingWhy() throws Exception {
        ModelDirs.write(tmp.resolve("models"), "mnv3-224", ModelDirs.fixture("mobilenet_v3_small_224.onnx"),
                3, 224, 224, CLASSES, "none", 1);
        long perItem = new AutodiffGraphCompiler().bytesPerItem(ModelDirs.fixture("mobilenet_v3_small_224.onnx"))
                .orElseThrow();
        System.out.printf("LargeInputTest: estimated synthesis working set %.1f MiB per batch item%n",
                perItem / 1048576.0);
        try (Engine engine = Engine.start(EngineConfig.builder().modelsDir(tmp.resolve("models")).cacheDir(null)
                .provider("cpu").maxBatch(4).warmUp(false).maxModelBytes(perItem / 2).build())) {
            assertTrue(engine.modelNames().isEmpty());
            String why = engine.health().failedModels().get("mnv3-224");
            assertTrue(why != null && why.contains("does not fit the memory bound") && why.contains("per batch item")
                    && why.contains("EngineConfig.maxModelBytes"), String.valueOf(why));
        }
    }
}
