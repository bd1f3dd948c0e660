package dev.robustsynth.plugins.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.plugins.support.ClassEditRequest;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TranslateTaskTest {
    private static final Image UNDECODED = Image.filled(1, 8, 8, 0.5f);
    private final LinearSoftmaxModel model = TinyModels.grey(21);
    private final TaskFactory<?> factory = Factories.initialised(
            PluginChecks.factoryOf(TranslatePlugin.class, "translate", ClassEditRequest.PARAMETERS),
            Map.of("max-steps", "40"));
    private final Image source = TestImages.uniform(1, 8, 8, 0.1, 0.9, 4);

    private TaskResult run(Map<String, ?> params, Image image) throws Exception {
        Map<String, Object> all = new HashMap<>(params);
        all.put("image", image);
        return Factories.run(factory, model, all, 1);
    }

    @Test
    void movesTheSourceTowardTheTargetInsideTheBall() throws Exception {
        TaskResult result = run(Map.of("class", "trouser"), source);
        assertEquals(List.of("result", "source"), result.images().stream().map(ResultImage::role).toList());
        Map<String, Object> meta = result.images().get(0).metadata();
        assertTrue((Double) meta.get("finalProbability") > (Double) meta.get("startProbability"), meta.toString());
        assertEquals("trouser", meta.get("finalPredicted"));
        assertTrue(Pixels.l2(result.images().get(0).image(), source) <= 4.5 + 1e-4);
        assertEquals(source, result.images().get(1).image());
        assertEquals(4.5, result.metadata().get("eps"), "1.5 × the model's default eps");
        assertEquals(30, result.metadata().get("steps"), "1.5 × the model's default steps");
        assertEquals(Set.of("image"), factory.descriptor().imageParameters());
    }

    @Test
    void colourSourcesAreConvertedToTheModelsChannels() throws Exception {
        TaskResult result = run(Map.of("class", 0, "steps", 2), TestImages.uniform(3, 8, 8, 0, 1, 2));
        assertEquals(1, result.images().get(0).image().channels());
    }

    @Test
    void badParametersAreRejectedBeforeAnyWork() throws Exception {
        Map<String, Object> base = Map.of("image", UNDECODED, "class", "trouser");
        for (Map.Entry<Map<String, Object>, String> bad : Map.<Map<String, Object>, String>of(
                Map.of("image", UNDECODED, "class", "zebra"), "unknown class 'zebra'",
                Map.of("image", UNDECODED), "parameter 'class' is required",
                Map.of("class", 1), "parameter 'image' (an image) is required",
                with(base, "eps", 0.0), "parameter 'eps' is 0.0",
                with(base, "steps", 41), "at most 40 are allowed",
                with(base, "image", Image.filled(1, 28, 28, 0f)), "parameter 'image' is a 28x28 image; model tiny-grey takes 8x8 images"
        ).entrySet()) {
            InvalidParametersException e = assertThrows(InvalidParametersException.class,
                    () -> Factories.validate(factory, model, bad.getKey()));
            assertTrue(e.getMessage().contains(bad.getValue()), e.getMessage());
        }
        InvalidParametersException tall = assertThrows(InvalidParametersException.class, () -> Factories.validate(
                factory, model, with(base, "image", Image.filled(1, 9, 8, 0f))));
        assertTrue(tall.getMessage().contains("is a 8x9 image"), tall.getMessage());
        assertEquals(0, model.totalCalls());
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> out = new HashMap<>(base);
        out.put(key, value);
        return out;
    }
}
