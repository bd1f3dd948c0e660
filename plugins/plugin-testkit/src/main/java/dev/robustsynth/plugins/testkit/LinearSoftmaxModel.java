package dev.robustsynth.plugins.testkit;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.ErrorCode;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ItemOutcome;
import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Norm;
import dev.robustsynth.spi.Objective;
import dev.robustsynth.spi.PixelAnchor;
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
 * {@link #synthesize} minimises the SPI objective plus the pixel anchor with the robustness library's step rules
 * (L2: x ← x − α·g/‖g‖₂; L∞: x ← x − α·sign(g)), the gradient restricted to the change mask, then projects onto the
 * eps ball around the item's centre and clips to [0,1], as the engine does. It records how often it was called, so
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
        float[][] x = new float[n][];
        float[][] best = new float[n][];
        double[] bestLoss = new double[n];
        double[] startLoss = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = spec.items().get(i).start().pixels();
            startLoss[i] = lossAndGradient(x[i], spec.items().get(i), null);
            best[i] = x[i].clone();
            bestLoss[i] = startLoss[i];
        }
        for (int step = 1; step <= rule.steps(); step++) {
            double lossSum = 0;
            for (int i = 0; i < n; i++) {
                SynthesisItem item = spec.items().get(i);
                double[] grad = new double[x[i].length];
                lossAndGradient(x[i], item, grad);
                step(x[i], grad, item, rule);
                double loss = lossAndGradient(x[i], item, null);
                lossSum += loss;
                if (loss < bestLoss[i]) {
                    bestLoss[i] = loss;
                    best[i] = x[i].clone();
                }
            }
            if (spec.progressEvery() > 0 && (step % spec.progressEvery() == 0 || step == rule.steps())) {
                progress.report(new Progress(spec.stage(), step, rule.steps(), Map.of("loss", lossSum / n), List.of()));
            }
        }
        List<ItemOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SynthesisItem item = spec.items().get(i);
            float[] chosen = rule.keepBest() ? best[i] : x[i];
            Image image = new Image(c, h, w, chosen);
            double finalLoss = lossAndGradient(chosen, item, null);
            outcomes.add(new ItemOutcome(image, startLoss[i], finalLoss, distance(chosen, item.start().pixels()),
                    distance(chosen, item.centre().pixels())));
        }
        return new SynthesisOutcome(outcomes, rule.steps(), rule.steps());
    }

    private void step(float[] x, double[] grad, SynthesisItem item, StepRule rule) {
        item.changeMask().ifPresent(mask -> {
            for (int i = 0; i < grad.length; i++) {
                grad[i] *= maskAt(mask, i);
            }
        });
        double[] delta = new double[x.length];
        if (rule.norm() == Norm.L2) {
            double norm = 0;
            for (double g : grad) {
                norm += g * g;
            }
            norm = Math.sqrt(norm);
            if (norm > 0) {
                for (int i = 0; i < x.length; i++) {
                    delta[i] = -rule.stepSize() * grad[i] / norm;
                }
            }
        } else {
            for (int i = 0; i < x.length; i++) {
                delta[i] = -rule.stepSize() * Math.signum(grad[i]);
            }
        }
        float[] centre = item.centre().pixels();
        double[] offset = new double[x.length];
        double offsetNorm = 0;
        for (int i = 0; i < x.length; i++) {
            offset[i] = x[i] + delta[i] - centre[i];
            offsetNorm += offset[i] * offset[i];
        }
        offsetNorm = Math.sqrt(offsetNorm);
        for (int i = 0; i < x.length; i++) {
            double o = offset[i];
            if (rule.norm() == Norm.L2 && offsetNorm > rule.eps()) {
                o *= rule.eps() / offsetNorm;
            } else if (rule.norm() == Norm.LINF) {
                o = Math.max(-rule.eps(), Math.min(rule.eps(), o));
            }
            x[i] = (float) Math.max(0.0, Math.min(1.0, centre[i] + o));
        }
    }

    /**
     * The objective of {@code item} at {@code x}; when {@code grad} is not null, also its gradient. Package-private
     * for the finite-difference test.
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
        Optional<PixelAnchor> anchor = item.anchor();
        float[] reference = anchor.map(a -> a.reference().pixels()).orElse(null);
        if (anchor.isPresent()) {
            for (int i = 0; i < x.length; i++) {
                double d = x[i] - reference[i];
                loss += anchor.get().lambda() * maskAt(anchor.get().weights(), i) * d * d;
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
        if (anchor.isPresent()) {
            for (int i = 0; i < x.length; i++) {
                grad[i] += 2 * anchor.get().lambda() * maskAt(anchor.get().weights(), i) * (x[i] - reference[i]);
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

    /** The mask weight of flat CHW pixel index {@code i}; one-channel masks apply to every channel. */
    private double maskAt(Image mask, int i) {
        int plane = h * w;
        int channel = mask.channels() == 1 ? 0 : i / plane;
        int rest = i % plane;
        return mask.at(channel, rest / w, rest % w);
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

    private static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    private static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
