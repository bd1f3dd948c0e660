package dev.robustsynth.plugins.inpaint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.plugins.support.Masks;
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
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.TaskFactory;
import dev.robustsynth.spi.TaskRequest;
import dev.robustsynth.spi.TaskResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InpaintTaskTest {
    private static final Image UNDECODED = Image.filled(1, 8, 8, 0.5f);
    private final LinearSoftmaxModel model = TinyModels.grey(51);
    private final TaskFactory<?> factory = Factories.initialised(
            PluginChecks.factoryOf(InpaintPlugin.class, "inpaint", InpaintRequest.PARAMETERS), Map.of("max-steps", "60"));
    private final Image image = TestImages.uniform(1, 8, 8, 0.2, 0.8, 9);
    private final Image mask = Masks.box(8, 8, 2, 3, 4, 3);

    private TaskResult run(Map<String, ?> params, Map<String, Image> images, long seed) throws Exception {
        Map<String, Object> all = new HashMap<>(params);
        all.putAll(images);
        return Factories.run(factory, model, all, seed);
    }

    @Test
    void describesItsImageParameters() {
        assertEquals(Set.of("image", "mask"), factory.descriptor().imageParameters());
    }

    @Test
    void theHoleStartsAsTheMeanOfTheKnownPixelsAndTheKnownPixelsStay() throws Exception {
        TaskResult start = run(Map.of("steps", 0), Map.of("image", image, "mask", mask), 1);
        Image corrupted = start.images().get(1).image();
        double mean = Fill.knownMeans(image, mask)[0];
        assertEquals(mean, corrupted.at(0, 3, 2), 1e-6);
        assertEquals(mean, corrupted.at(0, 5, 5), 1e-6);
        assertEquals(image.at(0, 0, 0), corrupted.at(0, 0, 0));
        assertEquals(List.of("result", "corrupted", "mask"), start.images().stream().map(ResultImage::role).toList());
        assertEquals(mask, start.images().get(2).image());

        TaskResult result = run(Map.of("class", "trouser"), Map.of("image", image, "mask", mask), 1);
        Map<String, Object> meta = result.images().get(0).metadata();
        assertTrue((Double) meta.get("finalProbability") > (Double) meta.get("startProbability"), meta.toString());
        double knownChange = (Double) meta.get("knownL2Change");
        double missingChange = (Double) meta.get("missingL2Change");
        assertTrue(knownChange < 0.5 * missingChange, "known pixels moved " + knownChange + ", hole " + missingChange);
        assertTrue((Double) meta.get("l2Moved") <= 3.0 + 1e-4);
        assertEquals(40, result.metadata().get("steps"), "twice the model's default steps");
        assertEquals(10.0, result.metadata().get("lambda"));
        assertEquals("given", result.metadata().get("target"));
        SynthesisItem item = model.specs().get(model.specs().size() - 1).items().get(0);
        assertEquals(Masks.complement(mask), item.anchor().orElseThrow().weights(), "anchor on the known pixels");
        assertEquals(corrupted, item.centre(), "ball around the corrupted image");
    }

    @Test
    void keepKnownFreezesTheKnownPixelsExactly() throws Exception {
        TaskResult result = run(Map.of("keepKnown", true, "lambda", 0), Map.of("image", image, "mask", mask), 1);
        assertEquals(0.0, (Double) result.images().get(0).metadata().get("knownL2Change"), 0.0);
        assertTrue((Double) result.images().get(0).metadata().get("missingL2Change") > 0.1);
    }

    @Test
    void thePredictedClassNeverSeesTheOriginalHolePixels() throws Exception {
        float[] px = image.pixels();
        for (int y = 3; y < 6; y++) {
            for (int x = 2; x < 6; x++) {
                px[y * 8 + x] = 1f - px[y * 8 + x];
            }
        }
        Image other = new Image(1, 8, 8, px);
        TaskResult a = run(Map.of(), Map.of("image", image, "mask", mask), 3);
        TaskResult b = run(Map.of(), Map.of("image", other, "mask", mask), 3);
        assertEquals(a.images().get(0).image(), b.images().get(0).image());
        assertEquals("predicted", a.metadata().get("target"));
    }

    @Test
    void randomHolesAreSeededAndFixedHolesArePlacedWhereAsked() throws Exception {
        TaskResult a = run(Map.of("hole", Map.of("size", 3), "steps", 1), Map.of("image", image), 7);
        TaskResult b = run(Map.of("hole", Map.of("size", 3), "steps", 1), Map.of("image", image), 7);
        assertEquals(a.metadata().get("hole"), b.metadata().get("hole"));
        assertEquals(a.images().get(2).image(), b.images().get(2).image());
        boolean moved = false;
        for (long seed = 8; seed < 20 && !moved; seed++) {
            moved = !run(Map.of("hole", Map.of("size", 3), "steps", 0), Map.of("image", image), seed)
                    .metadata().get("hole").equals(a.metadata().get("hole"));
        }
        assertTrue(moved, "the hole position depends on the seed");
        TaskResult fixed = run(Map.of("hole", Map.of("size", 2, "x", 6, "y", 1), "steps", 0), Map.of("image", image), 1);
        assertEquals(Map.of("x", 6, "y", 1, "size", 2), fixed.metadata().get("hole"));
        assertEquals(Masks.box(8, 8, 6, 1, 2, 2), fixed.images().get(2).image());
        assertEquals(4, fixed.metadata().get("missingPixels"));
    }

    @Test
    void fillModes() throws Exception {
        Image zero = run(Map.of("fill", "zero", "steps", 0), Map.of("image", image, "mask", mask), 1)
                .images().get(1).image();
        assertEquals(0f, zero.at(0, 4, 4));
        Image gray = run(Map.of("fill", "gray", "steps", 0), Map.of("image", image, "mask", mask), 1)
                .images().get(1).image();
        assertEquals(0.5f, gray.at(0, 4, 4));
        Image noise = run(Map.of("fill", "noise", "steps", 0), Map.of("image", image, "mask", mask), 1)
                .images().get(1).image();
        assertNotEquals(noise.at(0, 4, 4), noise.at(0, 4, 3));
        assertEquals(0.0, Pixels.l2(noise, image, Masks.complement(mask)), 0.0, "noise only in the hole");
    }

    @Test
    void badParametersAreRejectedBeforeAnyWork() throws Exception {
        Map<Map<String, Object>, String> cases = new HashMap<>();
        cases.put(Map.of("image", UNDECODED, "mask", Image.filled(1, 28, 28, 1f)),
                "parameter 'mask' is a 28x28 mask; model tiny-grey takes 8x8 images");
        cases.put(Map.of("image", UNDECODED, "mask", UNDECODED, "hole", Map.of("size", 2)), "not both");
        cases.put(Map.of("image", UNDECODED), "give 'mask'");
        cases.put(Map.of("image", UNDECODED, "hole", Map.of("size", 8)), "expected 1 to 7");
        cases.put(Map.of("image", UNDECODED, "hole", Map.of("size", 3, "x", 1)), "only one of 'x' and 'y'");
        cases.put(Map.of("image", UNDECODED, "hole", Map.of("size", 3, "x", 6, "y", 0)), "outside model tiny-grey");
        cases.put(Map.of("image", UNDECODED, "hole", Map.of("size", 3), "lambda", -1), "parameter 'lambda' is -1.0");
        cases.put(Map.of("image", UNDECODED, "hole", Map.of("size", 3), "class", "parka"), "unknown class 'parka'");
        cases.put(Map.of("image", UNDECODED, "hole", Map.of("size", 3), "eps", 0), "parameter 'eps' is 0.0");
        cases.put(Map.of("image", UNDECODED, "hole", Map.of("size", 3), "steps", 61), "at most 60 are allowed");
        cases.put(Map.of("image", UNDECODED, "hole", Map.of("size", 3), "fill", "blur"), "parameter 'fill'");
        cases.put(Map.of("image", UNDECODED, "mask", Image.filled(1, 8, 8, 0f)), "marks no pixel as missing");
        cases.put(Map.of("image", UNDECODED, "mask", Image.filled(1, 8, 8, 1f)), "marks every pixel as missing");
        for (Map.Entry<Map<String, Object>, String> bad : cases.entrySet()) {
            InvalidParametersException e = assertThrows(InvalidParametersException.class,
                    () -> Factories.validate(factory, model, bad.getKey()),
                    bad.getKey().toString());
            assertTrue(e.getMessage().contains(bad.getValue()), e.getMessage());
        }
        InvalidParametersException narrow = assertThrows(InvalidParametersException.class, () -> Factories.validate(
                factory, model, Map.of("image", image, "mask", Image.filled(1, 8, 7, 1f))));
        assertTrue(narrow.getMessage().contains("is a 7x8 mask"), narrow.getMessage());
        assertEquals(0, model.totalCalls());
    }
}
