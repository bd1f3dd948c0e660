package dev.robustsynth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.engine.schedule.SchedulerStats;
import dev.robustsynth.engine.testing.ModelDirs;
import dev.robustsynth.engine.testing.Specs;
import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.Prediction;
import dev.robustsynth.spi.SynthesisOutcome;
import dev.robustsynth.spi.SynthesisSpec;
import dev.robustsynth.spi.TaskException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole engine on a real conv network (autodiff's small_cnn fixture) compiled by the real compiler. */
@Timeout(120)
class EngineTest {
    static final String MODEL = "small-cnn";

    @TempDir
    static Path tmp;
    static Engine engine;

    @BeforeAll
    static void start() throws Exception {
        ModelDirs.write(tmp.resolve("models"), MODEL, ModelDirs.fixture("small_cnn.onnx"), 1, 16, 16, 10, "feat",
                32);
        engine = Engine.start(EngineConfig.builder().modelsDir(tmp.resolve("models")).cacheDir(tmp.resolve("cache"))
                .provider("auto").intraOpThreads(1).maxBatch(8).build());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static ModelFacade facade() {
        return engine.facade(MODEL, TaskControl.none());
    }

    static SynthesisSpec spec(long seed, int items, int steps) {
        return Specs.toward(1, 16, 16, 10, seed, items, Specs.l2(2.0, 0.3, steps), 0);
    }

    @Test
    void servesTheConfiguredModelAndReportsHealth() {
        assertEquals(java.util.Set.of(MODEL), engine.modelNames());
        assertEquals("1x16x16", engine.modelInfo(MODEL).orElseThrow().inputShape());
        assertTrue(engine.modelInfo("nope").isEmpty());
        EngineHealth health = engine.health();
        assertTrue(health.up());
        assertEquals("cpu", health.models().get(0).provider());
        assertTrue(health.providerNote().startsWith("cpu"), health.providerNote());
        assertTrue(health.failedModels().isEmpty(), health.failedModels().toString());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> engine.facade("nope", TaskControl.none()));
        assertTrue(unknown.getMessage().contains(MODEL), unknown.getMessage());
    }

    @Test
    void aSynthesisAloneAndBatchedWithFifteenOthersGivesIdenticalImages() throws Exception {
        SynthesisOutcome alone = facade().synthesize(spec(42, 1, 30));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        CountDownLatch ready = new CountDownLatch(16);
        SchedulerStats before = engine.schedulerStats(MODEL).orElseThrow();
        try {
            List<Future<SynthesisOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                long seed = i == 9 ? 42 : 1000 + 17L * i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return facade().synthesize(spec(seed, 1, 30));
                }));
            }
            SynthesisOutcome batched = futures.get(9).get();
            for (Future<SynthesisOutcome> f : futures) {
                f.get();
            }
            assertEquals(alone.images(), batched.images(), "bit-identical alone and among 16 on batch 8");
            assertEquals(alone.items().get(0).finalLoss(), batched.items().get(0).finalLoss());
            SchedulerStats during = engine.schedulerStats(MODEL).orElseThrow().since(before);
            assertEquals(16 * 31, during.imageSteps());
            assertTrue(during.ticks() < 16 * 31 / 3, "the 16 syntheses shared ticks: " + during.ticks() + " ticks");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void classificationIsASoftmaxAndFollowsTheSynthesisTarget() throws Exception {
        Image start = Specs.noise(1, 16, 16, 5);
        List<Prediction> before = facade().classify(List.of(start, Image.filled(1, 16, 16, 0f)));
        assertEquals(2, before.size());
        double sum = 0;
        for (float p : before.get(0).probabilities()) {
            sum += p;
        }
        assertEquals(1.0, sum, 1e-5);
        int target = (before.get(0).topClass() + 3) % 10;
        SynthesisSpec spec = new SynthesisSpec(List.of(dev.robustsynth.spi.SynthesisItem.of(start,
                dev.robustsynth.spi.Objective.towardClass(target, 10))), Specs.l2(4.0, 0.5, 25), 0, "s");
        Image result = facade().synthesize(spec).images().get(0);
        float after = facade().classify(List.of(result)).get(0).probability(target);
        assertTrue(after > before.get(0).probability(target), before.get(0).probability(target) + " → " + after);
    }

    @Test
    void activationsComeFromTheForwardGraph() throws Exception {
        List<float[]> feat = facade().activations("feat", List.of(Specs.noise(1, 16, 16, 1), Specs.noise(1, 16, 16, 2)));
        assertEquals(2, feat.size());
        assertEquals(32, feat.get(0).length);
        TaskException unknown = assertThrows(TaskException.class,
                () -> facade().activations("conv7", List.of(Specs.noise(1, 16, 16, 1))));
        assertEquals(ErrorCode.MODEL_UNSUPPORTED, unknown.code());
        TaskException shape = assertThrows(TaskException.class,
                () -> facade().classify(List.of(Image.filled(3, 16, 16, 0.5f))));
        assertEquals(ErrorCode.INVALID_IMAGE, shape.code());
    }

    @Test
    void seedsAreDrawnAtTheModelSizeFromTheCallersGenerator() {
        var seeds = facade().seeds().orElseThrow();
        Image a = seeds.sample(3, new SplittableRandom(11));
        assertEquals("1x16x16", a.shape());
        assertEquals(a, seeds.sample(3, new SplittableRandom(11)));
        assertTrue(!a.equals(seeds.sample(3, new SplittableRandom(12))));
    }
}
