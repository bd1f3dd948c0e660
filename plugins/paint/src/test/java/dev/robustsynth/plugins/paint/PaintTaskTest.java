package dev.robustsynth.plugins.paint;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ResultImage;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisSpec;
import dev.robustsynth.spi.TaskException;
import dev.robustsynth.spi.TaskFactory;
import dev.robustsynth.spi.TaskRequest;
import dev.robustsynth.spi.TaskResult;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PaintTaskTest {
    private static final Image UNDECODED = Image.filled(1, 8, 8, 0.5f);
    private static final Map<String, Integer> LEFT_HALF = Map.of("x", 0, "y", 0, "width", 4, "height", 8);
    private final LinearSoftmaxModel model = TinyModels.grey(61);
    private final TaskFactory<?> factory = Factories.initialised(
            PluginChecks.factoryOf(PaintPlugin.class, "paint", PaintRequest.PARAMETERS), Map.of("max-steps", "30"));
    private final Image image = TestImages.uniform(1, 8, 8, 0.3, 0.7, 12);

    private TaskResult run(LinearSoftmaxModel m, Map<String, ?> params, Map<String, Image> images) throws Exception {
        Map<String, Object> all = new HashMap<>(params);
        all.putAll(images);
        return Factories.run(factory, m, all, 1);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stroke(TaskResult result, int i) {
        return ((List<Map<String, Object>>) result.images().get(0).metadata().get("strokes")).get(i);
    }

    @Test
    void describesItsNeeds() {
        assertEquals(Set.of("image", "mask"), factory.descriptor().imageParameters());
    }

    @Test
    void aStrokeRaisesItsChannelInsideTheRegionMoreThanOutsideAndKeepsTheRestOfTheImage() throws Exception {
        TaskResult result = run(model, Map.of("strokes", List.of(Map.of("box", LEFT_HALF, "layer", "features",
                "channel", 1))), Map.of("image", image));
        assertEquals(List.of("result", "source"), result.images().stream().map(ResultImage::role).toList());
        Map<String, Object> s = stroke(result, 0);
        double insideGain = (Double) s.get("activationInsideAfter") - (Double) s.get("activationInsideBefore");
        double outsideGain = (Double) s.get("activationOutsideAfter") - (Double) s.get("activationOutsideBefore");
        assertTrue(insideGain > 0.5, "inside gain " + insideGain);
        assertTrue(insideGain > 5 * Math.abs(outsideGain), insideGain + " inside vs " + outsideGain + " outside");
        Image painted = result.images().get(0).image();
        Image region = Masks.box(8, 8, 0, 0, 4, 8);
        double inside = Pixels.l2(painted, image, region);
        double outside = Pixels.l2(painted, image, Masks.complement(region));
        assertTrue(outside < 0.2 * inside, "outside moved " + outside + ", inside " + inside);
        assertTrue(inside > 1.0, "a default stroke makes a visible change: L2 " + inside);
        assertEquals(false, s.get("confinedToRegion"));
        assertEquals(32, s.get("regionPixels"));

        SynthesisItem item = model.specs().get(0).items().get(0);
        float[] weights = item.objective().activationWeights().get("features");
        float sum = 0;
        for (int i = 0; i < weights.length; i++) {
            boolean channel1LeftHalf = i / 16 == 1 && (i % 4) < 2;
            assertEquals(channel1LeftHalf ? 1f / 8 : 0f, weights[i], 1e-6f, "weight " + i);
            sum += weights[i];
        }
        assertEquals(1f, sum, 1e-5f);
        assertTrue(item.anchor().isEmpty(), "no anchor fights the step by default (lambda 0)");
        assertEquals(RegionMasks.feather(region, 1), item.changeMask().orElseThrow());
    }

    @Test
    void aVectorLayerCannotLocaliseSoTheStrokeIsConfinedToItsRegion() throws Exception {
        TaskResult result = run(model, Map.of("strokes", List.of(Map.of("box", LEFT_HALF, "channel", 2))),
                Map.of("image", image));
        Map<String, Object> s = stroke(result, 0);
        assertEquals("pooled", s.get("layer"), "the last exposed layer by default");
        assertEquals(true, s.get("confinedToRegion"));
        assertEquals(0.0, (Double) s.get("outsideL2Change"), 0.0);
        assertTrue((Double) s.get("activationInsideAfter") > (Double) s.get("activationInsideBefore"));
    }

    @Test
    void theFeatureMostTiedToAClassIsFoundBySeedsAndByTheImage() throws Exception {
        for (String method : List.of("seeds", "image")) {
            for (String layer : List.of("pooled", "features")) {
                for (int k = 0; k < 3; k++) {
                    TaskResult result = run(model, Map.of("featureSelection", method, "steps", 1, "strokes",
                            List.of(Map.of("box", LEFT_HALF, "layer", layer, "class", k))), Map.of("image", image));
                    Map<String, Object> s = stroke(result, 0);
                    assertEquals(k, s.get("channel"), method + " on " + layer + " for class " + k + ": " + s);
                    assertEquals(method, s.get("featureSelection"));
                    assertEquals(k, s.get("classIndex"));
                }
            }
        }
    }

    @Test
    void withoutSeedStatisticsTheImageMethodIsTheDefault() throws Exception {
        LinearSoftmaxModel colour = TinyModels.colourWithoutSeeds(5);
        TaskResult result = run(colour, Map.of("steps", 2, "strokes", List.of(Map.of("box", LEFT_HALF, "class", "cat"))),
                Map.of("image", TestImages.uniform(3, 8, 8, 0.2, 0.8, 3)));
        assertEquals("image", stroke(result, 0).get("featureSelection"));
        TaskException e = assertThrows(TaskException.class, () -> run(colour, Map.of("featureSelection", "seeds",
                "strokes", List.of(Map.of("box", LEFT_HALF, "class", "cat"))),
                Map.of("image", TestImages.uniform(3, 8, 8, 0.2, 0.8, 3))));
        assertEquals(ErrorCode.MODEL_UNSUPPORTED, e.code());
    }

    @Test
    void strokesApplyInSequenceOnLabelledRegions() throws Exception {
        float[] labels = new float[64];
        for (int i = 0; i < 64; i++) {
            labels[i] = (i % 8) < 4 ? 1f / 255f : 2f / 255f;
        }
        TaskResult result = run(model, Map.of("steps", 5, "strokes", List.of(
                Map.of("label", 1, "layer", "features", "channel", 0),
                Map.of("label", 2, "layer", "features", "channel", 3))),
                Map.of("image", image, "mask", new Image(1, 8, 8, labels)));
        List<SynthesisSpec> specs = model.specs();
        assertEquals(2, specs.size());
        assertEquals(image, specs.get(0).items().get(0).start());
        Image afterFirst = specs.get(1).items().get(0).start();
        assertEquals(afterFirst, specs.get(1).items().get(0).centre(), "each stroke's ball is around its start");
        assertEquals(RegionMasks.feather(RegionMasks.label(new Image(1, 8, 8, labels), 2), 1),
                specs.get(1).items().get(0).changeMask().orElseThrow());
        assertEquals(10, result.images().get(0).metadata().get("steps"));
        assertEquals("mask label 2", stroke(result, 1).get("region"));
        assertEquals(2, result.metadata().get("strokes"));
        assertEquals(Pixels.l2(result.images().get(0).image(), image),
                (Double) result.images().get(0).metadata().get("l2Moved"), 1e-9);
    }

    @Test
    void aStrokeWithoutBoxPaintsTheWhiteOfTheMask() throws Exception {
        Image mask = Masks.box(8, 8, 4, 4, 4, 4);
        TaskResult result = run(model, Map.of("steps", 3, "strokes", List.of(Map.of("channel", 1, "layer", "features"))),
                Map.of("image", image, "mask", mask));
        assertEquals(16, stroke(result, 0).get("regionPixels"));
        assertEquals("mask", stroke(result, 0).get("region"));
    }

    @Test
    void aModelThatExposesNoLayerIsUnsupported() throws Exception {
        WithoutLayers bare = new WithoutLayers(model);
        TaskException e = assertThrows(TaskException.class, () -> Factories.run(factory, bare,
                Map.of("image", image, "strokes", List.of(Map.of("box", LEFT_HALF, "channel", 0))), 1));
        assertEquals(ErrorCode.MODEL_UNSUPPORTED, e.code());
        assertEquals("model tiny-grey exposes no layers (model card 'layers'); paint needs one", e.getMessage());
        assertEquals(0, model.totalCalls());
        InvalidParametersException named = assertThrows(InvalidParametersException.class, () -> Factories.validate(factory, bare, Map.of("image", UNDECODED, "strokes",
                        List.of(Map.of("box", LEFT_HALF, "layer", "features", "channel", 0)))));
        assertTrue(named.getMessage().endsWith("known: none"), named.getMessage());
    }

    @Test
    void badParametersAreRejectedBeforeAnyWork() throws Exception {
        Map<Map<String, Object>, String> cases = new HashMap<>();
        Map<String, Object> box = Map.of("box", LEFT_HALF);
        cases.put(Map.of("image", UNDECODED, "strokes", List.of(with(box, "layer", "conv9", "channel", 0))),
                "stroke 1: unknown layer 'conv9' for model tiny-grey; known: features, pooled");
        cases.put(Map.of("image", UNDECODED, "strokes", List.of(with(box, "layer", "features", "channel", 4))),
                "stroke 1: channel 4 is outside layer 'features' (4 channels)");
        cases.put(Map.of("image", UNDECODED, "strokes", List.of(with(box, "class", "parka", "channel", 0))),
                "stroke 1: give 'channel'");
        cases.put(Map.of("image", UNDECODED, "strokes", List.of(with(box, "class", "parka", "layer", "pooled"))),
                "stroke 1: parameter 'class': unknown class 'parka'");
        cases.put(Map.of("image", UNDECODED, "strokes", List.of(Map.of("box", Map.of("x", 6, "y", 0, "width", 4,
                "height", 1), "channel", 0))), "does not lie inside model tiny-grey's 8x8 images");
        cases.put(Map.of("image", UNDECODED, "strokes", List.of(box, Map.of("label", 3, "channel", 0))),
                "stroke 1: give 'channel'");
        cases.put(Map.of("image", UNDECODED, "strokes", List.of(Map.of("label", 3, "channel", 0))),
                "stroke 1: a stroke without 'box' paints on 'mask', which the request lacks");
        cases.put(Map.of("image", UNDECODED, "mask", Image.filled(1, 8, 8, 0f),
                "strokes", List.of(Map.of("label", 3, "channel", 0))), "stroke 1: label 3 selects no pixel of 'mask'");
        cases.put(Map.of("image", UNDECODED, "mask", Image.filled(1, 16, 16, 1f),
                "strokes", List.of(Map.of("channel", 0))), "parameter 'mask' is a 16x16 mask");
        cases.put(Map.of("image", UNDECODED, "strokes", List.of()), "parameter 'strokes' has 0 strokes");
        cases.put(Map.of("image", UNDECODED, "strokes", List.of(with(box, "channel", 0)), "eps", 0),
                "parameter 'eps' is 0.0");
        cases.put(Map.of("image", UNDECODED, "strokes", List.of(with(box, "channel", 0)), "steps", 31),
                "at most 30 are allowed");
        cases.put(Map.of("image", UNDECODED, "strokes", List.of(with(box, "channel", 0)), "lambda", -2),
                "parameter 'lambda' is -2.0");
        cases.put(Map.of("image", UNDECODED, "strokes", List.of(with(box, "channel", 0)), "featureSelection", "x"),
                "parameter 'featureSelection'");
        for (Map.Entry<Map<String, Object>, String> bad : cases.entrySet()) {
            InvalidParametersException e = assertThrows(InvalidParametersException.class,
                    () -> Factories.validate(factory, model, bad.getKey()),
                    bad.getKey().toString());
            assertTrue(e.getMessage().contains(bad.getValue()), e.getMessage() + " should contain " + bad.getValue());
        }
        assertEquals(0, model.totalCalls());
    }

    private static Map<String, Object> with(Map<String, Object> base, Object... keyValues) {
        Map<String, Object> out = new HashMap<>(base);
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }
}
