package dev.robustsynth.plugins.paint;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.plugins.support.StepSettings;
import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.InvalidParametersException;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.Prediction;
import dev.robustsynth.spi.SeedSampler;
import dev.robustsynth.spi.StepRule;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisSpec;
import dev.robustsynth.spi.TaskException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Finds "the feature most tied to class c" with what the SPI offers (activations, classify, synthesize):
 *
 * <ul>
 *   <li>{@link Method#SEEDS}: draw a few seeds of every class from the model's seed statistics; for each channel,
 *       the Pearson correlation, over those seeds, between the channel's activation in the stroke's region and
 *       class c's centred logit {@code z_c − mean_j z_j} (exactly {@code log p_c − mean_j log p_j}, so
 *       probabilities suffice). The channel with the highest correlation wins.</li>
 *   <li>{@link Method#IMAGE}: take a few cross-entropy steps from the stroke's start image toward c; the channel
 *       whose activation in the region rises most wins (a finite-difference view of which feature the classifier
 *       itself raises to make this image more c).</li>
 * </ul>
 */
final class FeatureSelector {
    private static final long SEED_SALT = 0x5345454453L;

    /** How a class's feature is chosen. */
    enum Method {
        SEEDS, IMAGE;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Method parse(String text) throws InvalidParametersException {
            for (Method m : values()) {
                if (m.wireName().equals(text)) {
                    return m;
                }
            }
            throw new InvalidParametersException("parameter 'featureSelection' is '" + text + "'; expected one of "
                    + Arrays.stream(values()).map(Method::wireName).toList());
        }
    }

    /** The chosen channel and how strongly it won (correlation for seeds, activation rise for image). */
    record Selection(int channel, Method method, double score) {
    }

    /** Seeds of every class with their activations, per layer, drawn once per task. */
    private record Probe(List<float[]> activations, List<Prediction> predictions) {
    }

    private final ModelFacade model;
    private final long seed;
    private final int seedsPerClass;
    private final int selectionSteps;
    private final Map<String, Probe> probes = new HashMap<>();
    private List<Image> seeds;

    FeatureSelector(ModelFacade model, long seed, int seedsPerClass, int selectionSteps) {
        this.model = requireNonNull(model, "model is null");
        this.seed = seed;
        this.seedsPerClass = seedsPerClass;
        this.selectionSteps = selectionSteps;
    }

    Selection select(Method method, LayerRegion region, int classIndex, Image start, StepSettings settings)
            throws TaskException {
        return method == Method.SEEDS ? bySeeds(region, classIndex, start)
                : byImage(region, classIndex, start, settings);
    }

    /**
     * The channel whose region-averaged activation over seeds correlates most with the class, among the channels
     * active in the region on the start image: a channel that is exactly zero there (a dead ReLU) has no gradient,
     * and the stroke would do nothing. All channels compete when none is active.
     */
    private Selection bySeeds(LayerRegion region, int classIndex, Image start) throws TaskException {
        Probe probe = probe(region.layer().name());
        float[] onStart = model.activations(region.layer().name(), List.of(start)).get(0);
        boolean anyActive = false;
        for (int c = 0; c < region.layer().channels() && !anyActive; c++) {
            anyActive = region.inside(onStart, c) != 0;
        }
        int n = probe.predictions().size();
        double[] target = new double[n];
        for (int i = 0; i < n; i++) {
            float[] p = probe.predictions().get(i).probabilities();
            double meanLog = 0;
            for (float v : p) {
                meanLog += Math.log(Math.max(v, 1e-30f)) / p.length;
            }
            target[i] = Math.log(Math.max(p[classIndex], 1e-30f)) - meanLog;
        }
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < region.layer().channels(); c++) {
            if (anyActive && region.inside(onStart, c) == 0) {
                continue;
            }
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = region.inside(probe.activations().get(i), c);
            }
            double r = pearson(a, target);
            if (r > bestScore) {
                bestScore = r;
                best = c;
            }
        }
        return new Selection(best, Method.SEEDS, bestScore);
    }

    private Selection byImage(LayerRegion region, int classIndex, Image start, StepSettings settings)
            throws TaskException {
        StepRule rule = new StepRule(Norm.L2, settings.eps(), settings.stepSize(), selectionSteps, false);
        SynthesisItem item = SynthesisItem.of(start, Objective.towardClass(classIndex, model.info().numClasses()));
        Image moved = model.synthesize(new SynthesisSpec(List.of(item), rule, 0, "feature selection")).images().get(0);
        List<float[]> acts = model.activations(region.layer().name(), List.of(start, moved));
        int best = 0;
        double bestRise = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < region.layer().channels(); c++) {
            double rise = region.inside(acts.get(1), c) - region.inside(acts.get(0), c);
            if (rise > bestRise) {
                bestRise = rise;
                best = c;
            }
        }
        return new Selection(best, Method.IMAGE, bestRise);
    }

    private Probe probe(String layer) throws TaskException {
        Probe cached = probes.get(layer);
        if (cached != null) {
            return cached;
        }
        if (seeds == null) {
            SeedSampler sampler = model.seeds().orElseThrow(() -> new TaskException(ErrorCode.MODEL_UNSUPPORTED,
                    "model " + model.info().name() + " ships no seed statistics; use featureSelection 'image'"));
            SplittableRandom random = new SplittableRandom(seed ^ SEED_SALT);
            List<Image> drawn = new ArrayList<>();
            for (int k = 0; k < model.info().numClasses(); k++) {
                for (int i = 0; i < seedsPerClass; i++) {
                    drawn.add(sampler.sampleSingleGaussian(k, random));
                }
            }
            seeds = List.copyOf(drawn);
        }
        Probe probe = new Probe(model.activations(layer, seeds), model.classify(seeds));
        probes.put(layer, probe);
        return probe;
    }

    static double pearson(double[] a, double[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double cov = 0;
        double va = 0;
        double vb = 0;
        for (int i = 0; i < a.length; i++) {
            cov += (a[i] - ma) * (b[i] - mb);
            va += (a[i] - ma) * (a[i] - ma);
            vb += (b[i] - mb) * (b[i] - mb);
        }
        return va <= 0 || vb <= 0 ? 0.0 : cov / Math.sqrt(va * vb);
    }
}
