package dev.robustsynth.plugins.testkit;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.pgd.Pgd;
import dev.robustsynth.pgd.PixelTerms;
import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ItemOutcome;
import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.Prediction;
import dev.robustsynth.spi.Progress;
import dev.robustsynth.spi.ProgressSink;
import dev.robustsynth.spi.SeedSampler;
import dev.robustsynth.spi.StepRule;
import dev.robustsynth.spi.SynthesisDefaults;
import dev.robustsynth.spi.SynthesisItem;
import dev.robustsynth.spi.SynthesisOutcome;
import dev.robustsynth.spi.SynthesisSpec;
import dev.robustsynth.spi.TaskException;
import dev.robustsynth.spi.ThreatModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny, real classifier for plugin tests, with exact input gradients and a plain projected-gradient loop: no
 * mock, only a model small enough to differentiate by hand.
 *
 * <pre>
 * features[f,i,j] = Σ_c Σ_{dy,dx} kernels[f][c][dy][dx] · x[c, 2i+dy, 2j+dx]      (layer "features", [F, H/2, W/2])
 * pooled[f]       = mean_{i,j} features[f,i,j]                                    (layer "pooled", [F])
 * logits          = pixel · x + feature · pooled + bias,   probabilities = softmax(logits)
 * </pre>
 *
 * {@link #synthesize} minimises the SPI objective plus the item's pixel terms with the engine's own step rules
 * ({@link Pgd} of platform/pgd: the same code, with its NaN guard, freezing, block-mean constraint and early stop). It records how often it was called, so
 * tests can prove that rejected requests did no work.
 */
public final class LinearSoftmaxModel implements ModelFacade {
    public static final String FEATURES = "features";
    public static final String POOLED = "pooled";

    private final ModelInfo info;
    private final LinearWeights weights;
    private final Optional<SeedSampler> seeds;
    private final int c;
    private final int h;
    private final int w;
    private final int f;
    private final int k;
    private final AtomicInteger classifyCalls = new AtomicInteger();
    private final AtomicInteger activationCalls = new AtomicInteger();
    private final AtomicInteger synthesizeCalls = new AtomicInteger();
    private final List<SynthesisSpec> specs = new ArrayList<>();
    private volatile ProgressSink progress = p -> { };

    /**
     * @param name     the model name
     * @param classes  class names
     * @param channels input channels ({@code height} and {@code width} must be even)
     * @param defaults synthesis defaults the model card would carry
     * @param threat   the threat model (empty: a "standard" model)
     */
    public LinearSoftmaxModel(String name, List<String> classes, int channels, int height, int width,
                              LinearWeights weights, Optional<SeedSampler> seeds, SynthesisDefaults defaults,
                              Optional<ThreatModel> threat) {
        this.weights = requireNonNull(weights, "weights is null");
        this.seeds = requireNonNull(seeds, "seeds is null");
        if (height % 2 != 0 || width % 2 != 0) {
            throw new IllegalArgumentException("height and width must be even, got " + height + "x" + width);
        }
        if (weights.numClasses() != classes.size() || weights.pixel()[0].length != channels * height * width
                || weights.kernels()[0].length != channels) {
            throw new IllegalArgumentException("weights do not fit " + classes.size() + " classes of "
                    + channels + "x" + height + "x" + width);
        }
        this.c = channels;
        this.h = height;
        this.w = width;
        this.f = weights.featureChannels();
        this.k = classes.size();
        List<LayerInfo> layers = List.of(
                new LayerInfo(FEATURES, new int[] {f, h / 2, w / 2}, "stride-2 2x2 convolution of the input"),
                new LayerInfo(POOLED, new int[] {f}, "spatial mean of features (penultimate)"));
        this.info = new ModelInfo(name, "0".repeat(64), classes, channels, height, width, layers, threat, defaults);
    }

    /** Routes the progress events of later syntheses to {@code sink} (the host's per-task facade does this). */
    public void reportTo(ProgressSink sink) {
        this.progress = requireNonNull(sink, "sink is null");
    }

    public LinearWeights weights() {
        return weights;
    }

    public int classifyCalls() {
        return classifyCalls.get();
    }

    public int activationCalls() {
        return activationCalls.get();
    }

    public int synthesizeCalls() {
        return synthesizeCalls.get();
    }

    /** Every spec {@link #synthesize} received, in order. */
    public synchronized List<SynthesisSpec> specs() {
        return List.copyOf(specs);
    }

    /** Any call that touches the model. */
    public int totalCalls() {
        return classifyCalls() + activationCalls() + synthesizeCalls();
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<Prediction> classify(List<Image> images) throws TaskException {
        classifyCalls.incrementAndGet();
        List<Prediction> out = new ArrayList<>();
        for (Image image : images) {
            requireFits(image);
            out.add(new Prediction(toFloat(softmax(logits(image.pixels())))));
        }
        return out;
    }

    @Override
    public List<float[]> activations(String layer, List<Image> images) throws TaskException {
        activationCalls.incrementAndGet();
        List<float[]> out = new ArrayList<>();
        for (Image image : images) {
            requireFits(image);
            double[] features = features(image.pixels());
            out.add(toFloat(switch (layer) {
                case FEATURES -> features;
                case POOLED -> pooled(features);
                default -> throw new TaskException(ErrorCode.INVALID_PARAMETERS, "model " + info.name()
                        + " exposes no layer '" + layer + "'; known: " + FEATURES + ", " + POOLED);
            }));
        }
        return out;
    }

    @Override
    public Optional<SeedSampler> seeds() {
        return seeds;
    }

    /** The logits of one image (for tests that check what {@link #classify} hides). */
    public double[] logitsOf(Image image) {
        return logits(image.pixels());
    }

    @Override
    public SynthesisOutcome synthesize(SynthesisSpec spec) throws TaskException {
        synthesizeCalls.incrementAndGet();
        synchronized (this) {
            specs.add(spec);
        }
        for (SynthesisItem item : spec.items()) {
            checkItem(item);
        }
        StepRule rule = spec.rule();
        int n = spec.items().size();
        PixelTerms[] terms = new PixelTerms[n];
        float[][] x = new float[n][];
        float[][] best = new float[n][];
        double[] bestLoss = new double[n];
        double[] startLoss = new double[n];
        double[] lastLoss = new double[n];
        int[] steps = new int[n];
        boolean[] stopped = new boolean[n];
        for (int i = 0; i < n; i++) {
            terms[i] = PixelTerms.of(spec.items().get(i));
            x[i] = terms[i].start().clone();
            startLoss[i] = loss(x[i], spec.items().get(i), terms[i], null);
            lastLoss[i] = startLoss[i];
            best[i] = x[i].clone();
            bestLoss[i] = startLoss[i];
            stopped[i] = reachedStop(x[i], spec.items().get(i), terms[i]);
        }
        for (int step = 1; step <= rule.steps(); step++) {
            double lossSum = 0;
            for (int i = 0; i < n; i++) {
                SynthesisItem item = spec.items().get(i);
                if (!stopped[i]) {
                    float[] grad = new float[x[i].length];
                    loss(x[i], item, terms[i], grad);
                    if (!Pgd.step(rule, terms[i], x[i], grad)) {
                        throw new TaskException(ErrorCode.INTERNAL, "item " + i + ": the gradient holds NaN or infinity");
                    }
                    steps[i] = step;
                    lastLoss[i] = loss(x[i], item, terms[i], null);
                    if (lastLoss[i] < bestLoss[i]) {
                        bestLoss[i] = lastLoss[i];
                        best[i] = x[i].clone();
                    }
                    stopped[i] = reachedStop(x[i], item, terms[i]);
                }
                lossSum += lastLoss[i];
            }
            if (spec.progressEvery() > 0 && (step % spec.progressEvery() == 0 || step == rule.steps())) {
                progress.report(new Progress(spec.stage(), step, rule.steps(), Map.of("loss", lossSum / n), List.of()));
            }
        }
        List<ItemOutcome> outcomes = new ArrayList<>();
        int stepsRun = 0;
        for (int i = 0; i < n; i++) {
            SynthesisItem item = spec.items().get(i);
            float[] chosen = rule.keepBest() ? best[i] : x[i];
            Image image = new Image(c, h, w, chosen);
            double finalLoss = loss(chosen, item, terms[i], null);
            stepsRun = Math.max(stepsRun, steps[i]);
            outcomes.add(new ItemOutcome(image, startLoss[i], finalLoss, Pgd.l2Distance(chosen, terms[i].start()),
                    Pgd.l2Distance(chosen, terms[i].centre()), steps[i], stopped[i] && steps[i] < rule.steps()));
        }
        return new SynthesisOutcome(outcomes, stepsRun, rule.steps());
    }

    private boolean reachedStop(float[] x, SynthesisItem item, PixelTerms terms) {
        if (item.stopAtProbability().isEmpty()) {
            return false;
        }
        return Pgd.reachedStop(terms, toFloat(logits(x)), 0, k, item.stopClass());
    }

    /** The model's objective plus the item's pixel terms at {@code x}; with {@code grad}, also its gradient. */
    private double loss(float[] x, SynthesisItem item, PixelTerms terms, float[] grad) {
        double[] g = grad == null ? null : new double[x.length];
        double loss = lossAndGradient(x, item, g) + Pgd.pixelLoss(terms, x);
        if (grad != null) {
            for (int i = 0; i < x.length; i++) {
                grad[i] = (float) g[i];
            }
            Pgd.addPixelGradient(terms, x, grad);
        }
        return loss;
    }

    /**
     * The model's part of {@code item}'s objective at {@code x} (the pixel terms come from {@link Pgd}); when
     * {@code grad} is not null, also its gradient. Package-private for the finite-difference test.
     */
    double lossAndGradient(float[] x, SynthesisItem item, double[] grad) {
        Objective objective = item.objective();
        double[] features = features(x);
        double[] pooled = pooled(features);
        double[] logits = logits(x, pooled);
        double[] probs = softmax(logits);
        double loss = 0;
        double[] dLogits = new double[k];
        if (objective.target().isPresent() && objective.ceWeight() != 0f) {
            float[] target = objective.target().get();
            double mass = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (double z : logits) {
                max = Math.max(max, z);
            }
            double sumExp = 0;
            for (double z : logits) {
                sumExp += Math.exp(z - max);
            }
            double logSumExp = max + Math.log(sumExp);
            for (int j = 0; j < k; j++) {
                loss -= objective.ceWeight() * target[j] * (logits[j] - logSumExp);
                mass += target[j];
            }
            for (int j = 0; j < k; j++) {
                dLogits[j] += objective.ceWeight() * (probs[j] * mass - target[j]);
            }
        }
        if (objective.logitWeights().isPresent()) {
            float[] lw = objective.logitWeights().get();
            for (int j = 0; j < k; j++) {
                loss -= lw[j] * logits[j];
                dLogits[j] -= lw[j];
            }
        }
        float[] wFeatures = objective.activationWeights().get(FEATURES);
        float[] wPooled = objective.activationWeights().get(POOLED);
        if (wFeatures != null) {
            for (int i = 0; i < features.length; i++) {
                loss -= wFeatures[i] * features[i];
            }
        }
        if (wPooled != null) {
            for (int i = 0; i < f; i++) {
                loss -= wPooled[i] * pooled[i];
            }
        }
        if (grad == null) {
            return loss;
        }
        double[] dPooled = new double[f];
        for (int j = 0; j < k; j++) {
            for (int p = 0; p < f; p++) {
                dPooled[p] += dLogits[j] * weights.feature()[j][p];
            }
        }
        if (wPooled != null) {
            for (int p = 0; p < f; p++) {
                dPooled[p] -= wPooled[p];
            }
        }
        int hh = h / 2;
        int ww = w / 2;
        double[] dFeatures = new double[features.length];
        for (int p = 0; p < f; p++) {
            for (int q = 0; q < hh * ww; q++) {
                dFeatures[p * hh * ww + q] = dPooled[p] / (hh * ww) - (wFeatures == null ? 0 : wFeatures[p * hh * ww + q]);
            }
        }
        for (int i = 0; i < x.length; i++) {
            double g = 0;
            for (int j = 0; j < k; j++) {
                g += dLogits[j] * weights.pixel()[j][i];
            }
            grad[i] = g;
        }
        for (int p = 0; p < f; p++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int xx = 0; xx < w; xx++) {
                        grad[(ch * h + y) * w + xx] += dFeatures[(p * hh + y / 2) * ww + xx / 2]
                                * weights.kernels()[p][ch][y % 2][xx % 2];
                    }
                }
            }
        }
        return loss;
    }

    private double[] features(float[] x) {
        int hh = h / 2;
        int ww = w / 2;
        double[] out = new double[f * hh * ww];
        for (int p = 0; p < f; p++) {
            for (int i = 0; i < hh; i++) {
                for (int j = 0; j < ww; j++) {
                    double sum = 0;
                    for (int ch = 0; ch < c; ch++) {
                        for (int dy = 0; dy < 2; dy++) {
                            for (int dx = 0; dx < 2; dx++) {
                                sum += weights.kernels()[p][ch][dy][dx] * x[(ch * h + 2 * i + dy) * w + 2 * j + dx];
                            }
                        }
                    }
                    out[(p * hh + i) * ww + j] = sum;
                }
            }
        }
        return out;
    }

    private double[] pooled(double[] features) {
        int per = features.length / f;
        double[] out = new double[f];
        for (int p = 0; p < f; p++) {
            double sum = 0;
            for (int q = 0; q < per; q++) {
                sum += features[p * per + q];
            }
            out[p] = sum / per;
        }
        return out;
    }

    private double[] logits(float[] x) {
        return logits(x, pooled(features(x)));
    }

    private double[] logits(float[] x, double[] pooled) {
        double[] z = new double[k];
        for (int j = 0; j < k; j++) {
            double sum = weights.bias()[j];
            float[] row = weights.pixel()[j];
            for (int i = 0; i < x.length; i++) {
                sum += row[i] * x[i];
            }
            for (int p = 0; p < f; p++) {
                sum += weights.feature()[j][p] * pooled[p];
            }
            z[j] = sum;
        }
        return z;
    }

    private static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    private void requireFits(Image image) throws TaskException {
        if (!info.fits(image)) {
            throw new TaskException(ErrorCode.INVALID_IMAGE,
                    "image " + image.shape() + " does not fit model input " + info.inputShape());
        }
    }

    private void checkItem(SynthesisItem item) throws TaskException {
        requireFits(item.start());
        item.objective().target().ifPresent(t -> {
            if (t.length != k) {
                throw new IllegalArgumentException("target has " + t.length + " values, model has " + k + " classes");
            }
        });
        for (Map.Entry<String, float[]> e : item.objective().activationWeights().entrySet()) {
            Optional<LayerInfo> layer = info.layer(e.getKey());
            if (layer.isEmpty() || layer.get().size() != e.getValue().length) {
                throw new TaskException(ErrorCode.INVALID_PARAMETERS, "activation weights for '" + e.getKey()
                        + "' (" + e.getValue().length + " values) do not fit the model's layers " + info.layers());
            }
        }
        if (item.anchor().isPresent() && !item.anchor().get().reference().sameShape(item.start())) {
            throw new TaskException(ErrorCode.INVALID_PARAMETERS, "anchor reference does not fit the start image");
        }
    }

    private static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
