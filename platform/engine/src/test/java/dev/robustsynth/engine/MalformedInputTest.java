package dev.robustsynth.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.robustsynth.engine.testing.ModelDirs;
import dev.robustsynth.engine.testing.Specs;
import dev.robustsynth.engine.testing.TinyLinearModel;
import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.PixelAnchor;
import dev.robustsynth.spi.StepRule;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisSpec;
import dev.robustsynth.spi.TaskException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two hundred random malformed requests: each fails its own call with a clear error; the model keeps serving. */
@Timeout(120)
class MalformedInputTest {
    static final int C = 3;
    static final int H = 8;
    static final int W = 8;
    static final int K = 5;
    static final Set<ErrorCode> CLIENT_ERRORS = EnumSet.of(ErrorCode.INVALID_PARAMETERS, ErrorCode.INVALID_IMAGE,
            ErrorCode.MODEL_UNSUPPORTED);

    @TempDir
    Path tmp;

    @Test
    void twoHundredMalformedRequestsFailAloneAndTheSchedulerStillServes() throws Exception {
        ModelDirs.writeTiny(tmp.resolve("models"), "tiny", new TinyLinearModel(C, H, W, K, 1));
        EngineConfig config = EngineConfig.builder().modelsDir(tmp.resolve("models")).cacheDir(null)
                .intraOpThreads(1).maxBatch(4).maxSteps(500).maxItems(6).build();
        try (Engine engine = Engine.start(config, TinyLinearModel.compiler())) {
            ModelFacade model = engine.facade("tiny", TaskControl.none());
            SplittableRandom random = new SplittableRandom(7);
            int spiRefusals = 0;
            for (int i = 0; i < 200; i++) {
                int kind = i % 14;
                try {
                    call(model, kind, random);
                    fail("malformed request " + i + " (kind " + kind + ") was accepted");
                } catch (TaskException e) {
                    assertTrue(CLIENT_ERRORS.contains(e.code()), "case " + i + ": " + e.code() + " " + e.getMessage());
                    assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "case " + i + " has a message");
                } catch (IllegalArgumentException e) {
                    // The SPI's own records refuse some values (NaN pixels, NaN weights) before the engine sees them.
                    spiRefusals++;
                    assertTrue(kind >= 12, "only kinds 12 and 13 are SPI-level: " + e.getMessage());
                }
                if (i % 50 == 49) {
                    assertEquals(5, model.synthesize(Specs.toward(C, H, W, K, i, 2, Specs.l2(1, 0.1, 5), 0))
                            .stepsRun(), "a good request after " + (i + 1) + " bad ones");
                }
            }
            assertTrue(spiRefusals > 0);
            EngineHealth health = engine.health();
            for (int wait = 0; wait < 200 && health.models().get(0).liveItems() > 0; wait++) {
                Thread.sleep(5); // counters are published at the end of each tick
                health = engine.health();
            }
            assertEquals(0, health.models().get(0).liveItems());
            assertTrue(health.models().get(0).ticks() >= 24, "the scheduler kept ticking");
        }
    }

    static void call(ModelFacade model, int kind, SplittableRandom random) throws TaskException {
        Image good = Specs.noise(C, H, W, random.nextLong());
        Objective toward = Objective.towardClass(random.nextInt(K), K);
        StepRule rule = Specs.l2(1, 0.1, 5);
        switch (kind) {
            case 0 -> synth(model, SynthesisItem.of(wrongShape(random), toward), rule);
            case 1 -> synth(model, SynthesisItem.of(good, Objective.towardClass(0, K + 1 + random.nextInt(5))), rule);
            case 2 -> synth(model, SynthesisItem.of(good, objective(bad(random, K), null, Map.of())), rule);
            case 3 -> synth(model, SynthesisItem.of(good, objective(null, bad(random, K), Map.of())), rule);
            case 4 -> synth(model, SynthesisItem.of(good, objective(null, new float[K + 2], Map.of())), rule);
            case 5 -> synth(model, SynthesisItem.of(good, Objective.raiseActivation("layer" + random.nextInt(99),
                    new float[K])), rule);
            case 6 -> synth(model, SynthesisItem.of(good, Objective.raiseActivation("features",
                    new float[K + 1 + random.nextInt(9)])), rule);
            case 7 -> synth(model, SynthesisItem.of(good, Objective.raiseActivation("features", bad(random, K))), rule);
            case 8 -> synth(model, SynthesisItem.of(good, toward), new StepRule(Norm.L2, 1, 0.1,
                    501 + random.nextInt(1_000_000), false));
            case 9 -> model.synthesize(new SynthesisSpec(Collections.nCopies(7 + random.nextInt(20),
                    SynthesisItem.of(good, toward)), rule, 0, "s"));
            case 10 -> {
                Image ref = wrongShape(random);
                Image weights = Image.filled(1, ref.height(), ref.width(), 1f);
                synth(model, SynthesisItem.of(good, toward)
                        .withAnchor(new PixelAnchor(ref, weights, 1.0)), rule);
            }
            case 11 -> {
                if (random.nextBoolean()) {
                    model.classify(List.of(good, wrongShape(random)));
                } else {
                    model.activations("nope" + random.nextInt(9), List.of(good));
                }
            }
            case 12 -> {
                float[] pixels = good.pixels();
                pixels[random.nextInt(pixels.length)] = random.nextBoolean() ? Float.NaN : 2f;
                synth(model, SynthesisItem.of(new Image(C, H, W, pixels), toward), rule);
            }
            default -> synth(model, SynthesisItem.of(good, new Objective(Optional.empty(), Float.NaN,
                    Optional.empty(), Map.of())), rule);
        }
    }

    static void synth(ModelFacade model, SynthesisItem item, StepRule rule) throws TaskException {
        model.synthesize(new SynthesisSpec(List.of(item), rule, 0, "s"));
    }

    static Objective objective(float[] target, float[] logitWeights, Map<String, float[]> layers) {
        return new Objective(Optional.ofNullable(target), 1f, Optional.ofNullable(logitWeights), layers);
    }

    static float[] bad(SplittableRandom random, int length) {
        float[] values = new float[length];
        float[] poison = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        values[random.nextInt(length)] = poison[random.nextInt(poison.length)];
        return values;
    }

    static Image wrongShape(SplittableRandom random) {
        int c = random.nextBoolean() ? 1 : C;
        int h = random.nextInt(1, 12);
        int w = random.nextInt(1, 12);
        if (c == C && h == H && w == W) {
            h = H + 1;
        }
        return Image.filled(c, h, w, (float) random.nextDouble());
    }
}
