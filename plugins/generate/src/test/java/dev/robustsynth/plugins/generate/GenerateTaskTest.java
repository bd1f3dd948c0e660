package dev.robustsynth.plugins.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.plugins.support.Pixels;
import dev.robustsynth.plugins.testkit.Factories;
import dev.robustsynth.plugins.testkit.GaussianSeeds;
import dev.robustsynth.plugins.testkit.LinearSoftmaxModel;
import dev.robustsynth.plugins.testkit.PluginChecks;
import dev.robustsynth.plugins.testkit.TestTaskContext;
import dev.robustsynth.plugins.testkit.TinyModels;
import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ResultImage;
import dev.robustsynth.spi.TaskException;
import dev.robustsynth.spi.TaskFactory;
import dev.robustsynth.spi.TaskRequest;
import dev.robustsynth.spi.TaskResult;
import dev.robustsynth.spi.ValidationContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GenerateTaskTest {
    private final LinearSoftmaxModel model = TinyModels.grey(11);
    private final TaskFactory<?> factory = Factories.initialised(
            PluginChecks.factoryOf(GeneratePlugin.class, "generate", GenerateRequest.PARAMETERS),
            Map.of("max-steps", "50", "max-images", "12"));

    private TaskResult run(LinearSoftmaxModel m, Map<String, ?> params, long seed) throws TaskException {
        return Factories.run(factory, m, params, seed);
    }

    private InvalidParametersException rejected(Map<String, ?> params) {
        return assertThrows(InvalidParametersException.class,
                () -> Factories.validate(factory, model, params));
    }

    @Test
    void describesItself() {
        assertEquals("1.0.0", factory.descriptor().version());
        assertEquals(Set.of(), factory.descriptor().imageParameters());
    }

    @Test
    void generatedImagesGainTheirClassInsideTheBall() throws Exception {
        TaskResult result = run(model, Map.of("class", "Ankle Boot", "count", 3), 5);
        List<ResultImage> images = result.images();
        assertEquals(List.of("result", "result", "result", "seed", "seed", "seed"),
                images.stream().map(ResultImage::role).toList());
        for (int i = 0; i < 3; i++) {
            Map<String, Object> meta = images.get(i).metadata();
            assertEquals("ankle boot", meta.get("class"));
            assertEquals(i, meta.get("sample"));
            assertTrue((Double) meta.get("finalProbability") > (Double) meta.get("startProbability"), meta.toString());
            double moved = Pixels.l2(images.get(i).image(), images.get(3 + i).image());
            assertEquals(moved, (Double) meta.get("l2Moved"), 1e-4);
            assertTrue(moved <= 3.0 + 1e-4, "moved " + moved + " beyond eps 3");
            assertEquals("ankle boot", images.get(3 + i).metadata().get("class"));
        }
        Map<String, Object> task = result.metadata();
        assertEquals(3.0, task.get("eps"), "the model's default eps");
        assertEquals(0.5, task.get("stepSize"));
        assertEquals(20, task.get("steps"));
        assertEquals(List.of("ankle boot"), task.get("classes"));
        assertEquals("1.0.0", task.get("taskVersion"));
    }

    @Test
    void withoutClassesEveryClassIsGenerated() throws Exception {
        TaskResult result = run(model, Map.of("returnSeeds", false, "steps", 2), 1);
        assertEquals(List.of("t-shirt", "trouser", "ankle boot"),
                result.images().stream().map(i -> i.metadata().get("class")).toList());
    }

    @Test
    void sameSeedSameImagesAndAClassDrawsTheSameSeedsWhateverElseIsAsked() throws Exception {
        TaskResult a = run(model, Map.of("classes", List.of(0, 2), "count", 2, "steps", 3), 42);
        TaskResult b = run(model, Map.of("classes", List.of(0, 2), "count", 2, "steps", 3), 42);
        TaskResult alone = run(model, Map.of("class", 2, "count", 2, "steps", 3), 42);
        TaskResult other = run(model, Map.of("class", 2, "count", 2, "steps", 3), 43);
        assertEquals(a.images().stream().map(ResultImage::image).toList(),
                b.images().stream().map(ResultImage::image).toList());
        assertEquals(a.images().get(2).image(), alone.images().get(0).image());
        assertEquals(a.images().get(7).image(), alone.images().get(3).image(), "second seed of class 2");
        assertNotEquals(alone.images().get(2).image(), other.images().get(2).image());
    }

    @Test
    void mixtureSeedsComeFromOneComponentAndGaussianSeedsFromTheClassMean() throws Exception {
        GaussianSeeds seeds = (GaussianSeeds) model.seeds().orElseThrow();
        List<Image> means = seeds.means(1);
        float[] avg = new float[means.get(0).size()];
        for (Image m : means) {
            float[] px = m.pixels();
            for (int i = 0; i < avg.length; i++) {
                avg[i] += px[i] / means.size();
            }
        }
        Image average = new Image(1, 8, 8, avg);
        TaskResult mixture = run(model, Map.of("class", 1, "count", 8, "steps", 0, "seedKind", "mixture"), 3);
        TaskResult gaussian = run(model, Map.of("class", 1, "count", 8, "steps", 0), 3);
        for (int i = 8; i < 16; i++) {
            Image m = mixture.images().get(i).image();
            double nearest = Math.min(Pixels.l2(m, means.get(0)), Pixels.l2(m, means.get(1)));
            assertTrue(nearest < Pixels.l2(m, average), "mixture seed " + i + " is nearest to a component");
            Image g = gaussian.images().get(i).image();
            assertTrue(Pixels.l2(g, average) < Math.min(Pixels.l2(g, means.get(0)), Pixels.l2(g, means.get(1))),
                    "gaussian seed " + i + " is nearest to the class mean");
        }
        assertEquals("mixture", mixture.images().get(0).metadata().get("seedKind"));
        assertEquals(2, mixture.images().get(0).metadata().get("seedComponents"));
        assertEquals("gaussian", gaussian.images().get(0).metadata().get("seedKind"));
    }

    @Test
    void badParametersAreRejectedBeforeAnyWork() {
        assertTrue(rejected(Map.of("class", "sneaker")).getMessage()
                .contains("unknown class 'sneaker' for model tiny-grey; known: t-shirt, trouser, ankle boot"));
        assertTrue(rejected(Map.of("eps", 0)).getMessage().startsWith("parameter 'eps' is 0.0"));
        assertTrue(rejected(Map.of("eps", -1.5)).getMessage().startsWith("parameter 'eps' is -1.5"));
        assertEquals("parameter 'steps' is 51; at most 50 are allowed (configuration key max-steps)",
                rejected(Map.of("steps", 51)).getMessage());
        assertEquals("give either 'class' or 'classes', not both",
                rejected(Map.of("class", 1, "classes", List.of(2))).getMessage());
        assertTrue(rejected(Map.of("count", 5)).getMessage().startsWith("the request asks for 15 images"));
        assertTrue(rejected(Map.of("seedKind", "uniform")).getMessage().startsWith("parameter 'seedKind'"));
        assertTrue(rejected(Map.of("classes", List.of(0, 7))).getMessage().contains("class indices 0 to 2"));
        assertEquals(0, model.totalCalls());
    }

    @Test
    void aModelWithoutSeedStatisticsIsUnsupported() {
        LinearSoftmaxModel noSeeds = TinyModels.colourWithoutSeeds(2);
        TaskException e = assertThrows(TaskException.class, () -> run(noSeeds, Map.of("class", "cat"), 1));
        assertEquals(ErrorCode.MODEL_UNSUPPORTED, e.code());
        assertTrue(e.getMessage().contains("tiny-colour ships no seed statistics"), e.getMessage());
        assertEquals(0, noSeeds.totalCalls());
    }

    @Test
    void earlyStopRetiresEachImageAtItsThresholdBeforeTheBudget() throws Exception {
        TaskResult result = run(model, Map.of("class", "ankle boot", "count", 3, "steps", 50, "eps", 6, "stopAt", 0.6), 4);
        for (int i = 0; i < 3; i++) {
            Map<String, Object> meta = result.images().get(i).metadata();
            assertEquals(true, meta.get("stoppedEarly"), meta.toString());
            assertTrue((Integer) meta.get("steps") < 50, meta.toString());
            assertTrue((Double) meta.get("finalProbability") >= 0.6, meta.toString());
        }
        TaskResult full = run(model, Map.of("class", "ankle boot", "count", 3, "steps", 50, "eps", 6, "stopAt", 1), 4);
        for (int i = 0; i < 3; i++) {
            Map<String, Object> meta = full.images().get(i).metadata();
            assertEquals(50, meta.get("steps"));
            assertTrue((Double) meta.get("finalProbability")
                    > (Double) result.images().get(i).metadata().get("finalProbability"), "no early stop goes on");
        }
        assertEquals(3, result.metadata().get("stoppedEarly"));
    }

    @Test
    void progressIsReportedDuringTheSynthesis() throws Exception {
        ValidationContext validation = Factories.context(factory, model, Map.of("class", 0, "steps", 20), 1);
        TestTaskContext context = new TestTaskContext(validation.request(), model);
        Factories.run(factory, validation, context);
        assertEquals(List.of(10, 20), context.events().stream().map(p -> p.step()).toList());
        assertFalse(context.events().get(0).metrics().isEmpty());
    }
}
