package dev.robustsynth.plugins.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.plugins.testkit.LinearSoftmaxModel;
import dev.robustsynth.plugins.testkit.TinyModels;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.ResultImage;
import dev.robustsynth.spi.TaskResult;
import java.util.List;
import java.util.Map;
import dev.robustsynth.spi.SynthesisItem;
import org.junit.jupiter.api.Test;

class SynthesisRunTest {
    private final LinearSoftmaxModel model = TinyModels.grey(7);

    @Test
    void guidedEditRaisesTheTargetInsideTheBallAndReportsIt() throws Exception {
        Image start = Image.filled(1, 8, 8, 0.5f);
        StepSettings settings = new StepSettings(1.0, 0.25, 12, false);
        TaskResult result = new GuidedEdit(SynthesisItem.of(start, Objective.towardClass(1, 3)), 1, settings).run(model, "1.0.0", 4, "source", Map.of("x", 1));

        assertEquals(List.of("result", "source"), result.images().stream().map(ResultImage::role).toList());
        Map<String, Object> meta = result.images().get(0).metadata();
        assertEquals("trouser", meta.get("class"));
        assertEquals(1, meta.get("classIndex"));
        double before = (Double) meta.get("startProbability");
        double after = (Double) meta.get("finalProbability");
        assertTrue(after > before, before + " -> " + after);
        assertTrue((Double) meta.get("l2Moved") <= 1.0 + 1e-5);
        assertEquals(12, meta.get("steps"));
        assertEquals(3, ((List<?>) meta.get("finalProbabilities")).size());
        assertEquals(start, result.images().get(1).image());

        Map<String, Object> task = result.metadata();
        assertEquals("1.0.0", task.get("taskVersion"));
        assertEquals(List.of("trouser"), task.get("classes"));
        assertEquals(1.0, task.get("eps"));
        assertEquals(0.25, task.get("stepSize"));
        assertEquals(12, task.get("steps"));
        assertEquals(1, task.get("x"));
        assertEquals(3, model.classifyCalls() + model.synthesizeCalls(), "classify, synthesize, classify");
    }

    @Test
    void zeroStepsReturnTheStartUnchanged() throws Exception {
        Image start = Image.filled(1, 8, 8, 0.3f);
        TaskResult result = new GuidedEdit(SynthesisItem.of(start, Objective.towardClass(0, 3)), 0,
                new StepSettings(1.0, 0.25, 0, false))
                .run(model, "1.0.0", 0, "source", Map.of());
        assertEquals(start, result.images().get(0).image());
        assertEquals(0.0, result.images().get(0).metadata().get("l2Moved"));
    }

    @Test
    void reportNumbersAreShortDecimals() {
        assertEquals(0.8, Reports.number(0.8f));
    }
}
