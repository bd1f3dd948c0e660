package dev.robustsynth.plugins.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.plugins.support.Pixels;
import dev.robustsynth.plugins.testkit.Factories;
import dev.robustsynth.plugins.testkit.LinearSoftmaxModel;
import dev.robustsynth.plugins.testkit.PluginChecks;
import dev.robustsynth.plugins.testkit.TestImages;
import dev.robustsynth.plugins.testkit.TestTaskContext;
import dev.robustsynth.plugins.testkit.TinyModels;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ResultImage;
import dev.robustsynth.spi.TaskFactory;
import dev.robustsynth.spi.TaskRequest;
import dev.robustsynth.spi.TaskResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SketchTaskTest {
    private final LinearSoftmaxModel model = TinyModels.grey(31);
    private final TaskFactory<?> factory = Factories.initialised(
            PluginChecks.factoryOf(SketchPlugin.class, "sketch", SketchTaskFactory.PARAMETERS));
    private final Image drawing = TestImages.uniform(1, 8, 8, 0.0, 0.3, 8);

    private TaskResult run(Map<String, ?> params) throws Exception {
        Map<String, Object> all = new java.util.HashMap<>(params);
        all.put("image", drawing);
        return Factories.run(factory, model, all, 1);
    }

    @Test
    void theDrawingBecomesTheClassWithLargerDefaults() throws Exception {
        TaskResult result = run(Map.of("image", Map.of("uri", "file:///d.png"), "class", "ankle boot"));
        assertEquals(List.of("result", "sketch"), result.images().stream().map(ResultImage::role).toList());
        Map<String, Object> meta = result.images().get(0).metadata();
        assertTrue((Double) meta.get("finalProbability") > (Double) meta.get("startProbability"));
        assertEquals(6.0, result.metadata().get("eps"), "2 × the model's default eps");
        assertEquals(40, result.metadata().get("steps"), "2 × the model's default steps");
        assertEquals(false, result.metadata().get("inverted"));
        assertTrue(Pixels.l2(result.images().get(0).image(), drawing) <= 6.0 + 1e-4);
    }

    @Test
    void invertFlipsTheDrawingBeforeTheSteps() throws Exception {
        TaskResult result = run(Map.of("image", Map.of("uri", "file:///d.png"), "class", 1, "invert", true,
                "steps", 0));
        assertEquals(Pixels.invert(drawing), result.images().get(1).image());
        assertEquals(Pixels.invert(drawing), result.images().get(0).image(), "0 steps return the start");
        assertEquals(true, result.metadata().get("inverted"));
    }

    @Test
    void badParametersAreRejected() {
        InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> Factories.validate(factory, model, Map.of("image", drawing, "class", 1, "steps", 1001)));
        assertTrue(e.getMessage().contains("at most 1000 are allowed"), e.getMessage());
        assertThrows(InvalidParametersException.class, () -> Factories.validate(factory, model, Map.of("image", drawing, "class", 1, "invert", "yes")));
        assertEquals(0, model.totalCalls());
    }
}
