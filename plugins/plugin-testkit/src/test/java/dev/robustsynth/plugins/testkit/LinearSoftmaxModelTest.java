package dev.robustsynth.plugins.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ItemOutcome;
import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.PixelAnchor;
import dev.robustsynth.spi.StepRule;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LinearSoftmaxModelTest {
    private final LinearSoftmaxModel model = TinyModels.grey(3);

    private static Image randomImage(int c, int h, int w, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] px = new float[c * h * w];
        for (int i = 0; i < px.length; i++) {
            px[i] = (float) (0.2 + 0.6 * r.nextDouble());
        }
        return new Image(c, h, w, px);
    }

    @Test
    void analyticGradientMatchesCentralDifferencesForEveryTerm() {
        Image x0 = randomImage(1, 8, 8, 1);
        LayerInfo features = model.info().layer(LinearSoftmaxModel.FEATURES).orElseThrow();
        float[] fw = new float[features.size()];
        SplittableRandom r = new SplittableRandom(2);
        for (int i = 0; i < fw.length; i++) {
            fw[i] = (float) r.nextDouble();
        }
        Objective objective = new Objective(Optional.of(new float[] {0.2f, 0.7f, 0.1f}), 1.5f,
                Optional.of(new float[] {0.3f, -0.2f, 0.1f}),
                Map.of(LinearSoftmaxModel.FEATURES, fw, LinearSoftmaxModel.POOLED, new float[] {1f, 0f, -1f, 0.5f}));
        Image weights = randomImage(1, 8, 8, 4);
        SynthesisItem item = SynthesisItem.of(x0, objective)
                .withAnchor(new PixelAnchor(randomImage(1, 8, 8, 5), weights, 3.0));
        float[] x = x0.pixels();
        double[] grad = new double[x.length];
        model.lossAndGradient(x, item, grad);
        double h = 1e-3;
        for (int i = 0; i < x.length; i += 7) {
            float[] plus = x.clone();
            float[] minus = x.clone();
            plus[i] += (float) h;
            minus[i] -= (float) h;
            double numeric = (model.lossAndGradient(plus, item, null) - model.lossAndGradient(minus, item, null))
                    / (plus[i] - minus[i]);
            assertEquals(numeric, grad[i], 1e-3 * Math.max(1, Math.abs(numeric)), "pixel " + i);
        }
    }

    @Test
    void l2StepsRaiseTheTargetAndStayInTheBallAndBox() throws Exception {
        Image start = randomImage(1, 8, 8, 9);
        float before = model.classify(List.of(start)).get(0).probability(2);
        ItemOutcome out = model.synthesize(new SynthesisSpec(
                List.of(SynthesisItem.of(start, Objective.towardClass(2, 3))),
                new StepRule(Norm.L2, 1.0, 0.25, 15, false), 5, "synthesis")).items().get(0);
        float after = model.classify(List.of(out.image())).get(0).probability(2);
        assertTrue(after > before, before + " -> " + after);
        assertTrue(out.l2FromCentre() <= 1.0 + 1e-5, "moved " + out.l2FromCentre());
        assertTrue(out.finalLoss() < out.startLoss());
    }

    @Test
    void changeMaskFreezesTheOtherPixels() throws Exception {
        Image start = randomImage(1, 8, 8, 10);
        float[] m = new float[64];
        for (int i = 0; i < 32; i++) {
            m[i] = 1f;
        }
        Image mask = new Image(1, 8, 8, m);
        Image out = model.synthesize(new SynthesisSpec(
                List.of(SynthesisItem.of(start, Objective.towardClass(0, 3)).withChangeMask(mask)),
                new StepRule(Norm.L2, 2.0, 0.5, 10, false), 0, "synthesis")).images().get(0);
        for (int i = 32; i < 64; i++) {
            assertEquals(start.pixels()[i], out.pixels()[i], 0f, "frozen pixel " + i);
        }
        int changed = 0;
        for (int i = 0; i < 32; i++) {
            changed += start.pixels()[i] != out.pixels()[i] ? 1 : 0;
        }
        assertTrue(changed > 0);
    }

    @Test
    void reportsProgressEveryKSteps() throws Exception {
        List<dev.robustsynth.spi.Progress> events = new java.util.ArrayList<>();
        model.reportTo(events::add);
        Image start = randomImage(1, 8, 8, 11);
        model.synthesize(new SynthesisSpec(List.of(SynthesisItem.of(start, Objective.towardClass(1, 3))),
                new StepRule(Norm.L2, 1.0, 0.1, 10, false), 4, "synthesis"));
        assertEquals(List.of(4, 8, 10), events.stream().map(dev.robustsynth.spi.Progress::step).toList());
    }
}
