package dev.robustsynth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.engine.testing.ModelDirs;
import dev.robustsynth.engine.testing.Specs;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.SynthesisOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running engine watching its models directory (every 100 ms) picks up a model directory moved in, serves it,
 * and drops it when the directory is deleted: a synthesis running at that moment completes, new tasks are refused,
 * and the model is closed after the synthesis ends.
 */
@Timeout(120)
class HotLoadTest {
    @TempDir
    Path tmp;

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aModelDirectoryAddedAtRunTimeIsServedAndARemovedOneIsDroppedAfterItsRunningTaskEnds() throws Exception {
        Path models = Files.createDirectories(tmp.resolve("models"));
        try (Engine engine = Engine.start(EngineConfig.builder().modelsDir(models).cacheDir(null).provider("cpu")
                .intraOpThreads(1).maxBatch(4).watchInterval(Duration.ofMillis(100)).build())) {
            assertTrue(engine.modelNames().isEmpty());
            Path staged = ModelDirs.write(tmp.resolve("staging"), "small-cnn", ModelDirs.fixture("small_cnn.onnx"), 1,
                    16, 16, 10, "feat", 32);
            Files.move(staged, models.resolve("small-cnn"), StandardCopyOption.ATOMIC_MOVE);
            await(() -> engine.modelNames().contains("small-cnn"), "the added model is served");

            ModelFacade model = engine.facade("small-cnn", TaskControl.none());
            assertEquals(5, model.synthesize(Specs.toward(1, 16, 16, 10, 1, 1, Specs.l2(2, 0.3, 5), 0)).stepsRun());

            CompletableFuture<SynthesisOutcome> running = CompletableFuture.supplyAsync(() -> {
                try {
                    return model.synthesize(Specs.toward(1, 16, 16, 10, 2, 2, Specs.l2(2, 0.01, 3000), 0));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await(() -> engine.schedulerStats("small-cnn").orElseThrow().liveJobs() == 1, "the long synthesis runs");
            try (Stream<Path> files = Files.walk(models.resolve("small-cnn"))) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
            await(() -> !engine.modelNames().contains("small-cnn"), "the removed model is no longer offered");
            assertThrows(IllegalArgumentException.class, () -> engine.facade("small-cnn", TaskControl.none()));
            assertFalse(running.isDone(), "the running synthesis was cut short");

            SynthesisOutcome outcome = running.get(90, TimeUnit.SECONDS);
            assertEquals(3000, outcome.stepsRun());
            Thread.sleep(300);
            assertEquals(0, engine.rescanModels().added().size());
            dev.robustsynth.spi.TaskException after = assertThrows(dev.robustsynth.spi.TaskException.class,
                    () -> model.synthesize(Specs.toward(1, 16, 16, 10, 3, 1, Specs.l2(2, 0.3, 5), 0)));
            assertEquals(dev.robustsynth.spi.ErrorCode.UNAVAILABLE, after.code(), after.getMessage());
        }
    }
}
