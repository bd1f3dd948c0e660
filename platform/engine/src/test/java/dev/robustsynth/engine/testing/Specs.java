package dev.robustsynth.engine.testing;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.StepRule;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Synthesis specs for tests. */
public final class Specs {
    private Specs() {
    }

    /** An image of uniform noise in [0,1] from {@code seed}. */
    public static Image noise(int channels, int height, int width, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[channels * height * width];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        return new Image(channels, height, width, pixels);
    }

    /** {@code items} noise images (seeds {@code seed, seed+1, …}) pulled toward class {@code seed mod K}. */
    public static SynthesisSpec toward(int channels, int height, int width, int classes, long seed, int items,
                                       StepRule rule, int progressEvery) {
        List<SynthesisItem> list = new ArrayList<>();
        for (int i = 0; i < items; i++) {
            list.add(SynthesisItem.of(noise(channels, height, width, seed + i),
                    Objective.towardClass((int) Math.floorMod(seed + i, classes), classes)));
        }
        return new SynthesisSpec(list, rule, progressEvery, "synthesis");
    }

    public static StepRule l2(double eps, double step, int steps) {
        return new StepRule(Norm.L2, eps, step, steps, false);
    }
}
