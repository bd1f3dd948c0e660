package dev.robustsynth.plugins.superres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.plugins.support.Pixels;
import dev.robustsynth.pgd.Resample;
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
import org.junit.jupiter.api.Test;

class SuperresTaskTest {
    private static final Image UNDECODED = Image.filled(1, 8, 8, 0.5f);
    private final LinearSoftmaxModel model = TinyModels.grey(41);
    private final TaskFactory<?> factory = Factories.initialised(
            PluginChecks.factoryOf(SuperresPlugin.class, "superres", SuperresRequest.PARAMETERS));
    private final Image lowRes = TestImages.uniform(1, 2, 2, 0.1, 0.9, 5);

    private TaskResult run(Map<String, ?> params, Image image) throws Exception {
        Map<String, Object> all = new HashMap<>(params);
        all.put("image", image);
        return Factories.run(factory, model, all, 1);
    }

    @Test
    void upsamplesByNearestThenStepsTowardThePredictedClass() throws Exception {
        TaskResult result = run(Map.of("factor", 4, "upsample", "nearest"), lowRes);
        assertEquals(List.of("result", "upsampled"), result.images().stream().map(ResultImage::role).toList());
        Image upsampled = Resample.NEAREST.apply(lowRes, 8, 8);
        assertEquals(upsampled, result.images().get(1).image());
        int predicted = model.classify(List.of(upsampled)).get(0).topClass();
        Map<String, Object> meta = result.images().get(0).metadata();
        assertEquals(predicted, meta.get("classIndex"));
        assertTrue((Double) meta.get("finalProbability") > (Double) meta.get("startProbability"));
        assertTrue(Pixels.l2(result.images().get(0).image(), upsampled) <= 1.5 + 1e-4, "half the default eps");
        assertEquals("predicted", result.metadata().get("target"));
        assertEquals("nearest", result.metadata().get("upsample"));
        assertEquals(4, result.metadata().get("factor"));
        assertEquals(1.5, result.metadata().get("eps"));
    }

    @Test
    void theDefaultOutputReDownsamplesToItsLowResolutionInput() throws Exception {
        Image low = TestImages.uniform(1, 2, 2, 0.05, 0.95, 8);
        TaskResult result = run(Map.of("factor", 4, "steps", 20), low);
        Image out = result.images().get(0).image();
        double mse = Math.pow(Pixels.l2(Resample.AREA.apply(out, 2, 2), low), 2) / low.size();
        double psnr = mse == 0 ? 100.0 : 10 * Math.log10(1 / mse);
        assertTrue(psnr >= 35, "consistency PSNR " + psnr + " dB");
        assertEquals(psnr, (Double) result.metadata().get("consistencyPsnr"), 1e-6);
        assertTrue(Pixels.l2(out, Resample.BILINEAR.apply(low, 8, 8)) > 0.1, "the steps added detail");
        assertEquals("bilinear", result.metadata().get("upsample"));
        Map<String, Object> meta = result.images().get(0).metadata();
        assertTrue((Double) meta.get("finalProbability") > (Double) meta.get("startProbability"), meta.toString());

        Image free = run(Map.of("factor", 4, "steps", 20, "consistency", false), low).images().get(0).image();
        double freeMse = Math.pow(Pixels.l2(Resample.AREA.apply(free, 2, 2), low), 2) / low.size();
        assertTrue(freeMse > 10 * mse, "without the constraint the block means drift: " + freeMse + " vs " + mse);
    }

    @Test
    void bilinearUpsamplingAndAGivenClass() throws Exception {
        TaskResult result = run(Map.of("factor", 2, "upsample", "bilinear", "consistency", false, "class", "trouser",
                        "steps", 0),
                TestImages.uniform(1, 4, 4, 0, 1, 6));
        assertEquals(Resample.BILINEAR.apply(TestImages.uniform(1, 4, 4, 0, 1, 6), 8, 8), result.images().get(0).image());
        assertEquals("trouser", result.images().get(0).metadata().get("class"));
        assertEquals("given", result.metadata().get("target"));
    }

    @Test
    void aFactorThatDoesNotDivideOrALowResImageOfTheWrongSizeIsRejected() throws Exception {
        InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> Factories.validate(factory, model, Map.of("image", UNDECODED, "factor", 3)));
        assertEquals("parameter 'factor' is 3; it must divide model tiny-grey's input size 8x8", e.getMessage());
        InvalidParametersException size = assertThrows(InvalidParametersException.class, () -> Factories.validate(factory, model, Map.of("image", Image.filled(1, 4, 4, 0f), "factor", 4)));
        assertEquals("parameter 'image' is 4x4; with factor 4 model tiny-grey needs a 2x2 low-resolution image "
                + "(2 × 4 = 8)", size.getMessage());
        assertThrows(InvalidParametersException.class, () -> Factories.validate(factory, model,
                Map.of("image", lowRes, "factor", 2)));
        assertThrows(InvalidParametersException.class, () -> Factories.validate(factory, model, Map.of("image", UNDECODED)));
        assertThrows(InvalidParametersException.class, () -> Factories.validate(factory, model, Map.of("image", UNDECODED, "factor", 2, "upsample", "bicubic")));
        assertEquals(0, model.totalCalls());
    }
}
