package dev.robustsynth.trainer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.robustsynth.autodiff.CompileOptions;
import dev.robustsynth.autodiff.CompiledModel;
import dev.robustsynth.autodiff.SynthesisCompiler;
import dev.robustsynth.autodiff.SynthesisNames;
import dev.robustsynth.trainer.EngineSetup;
import dev.robustsynth.trainer.TestData;
import dev.robustsynth.trainer.data.Augmenter;
import dev.robustsynth.trainer.data.LabeledImages;
import dev.robustsynth.trainer.model.ArchitectureSpec;
import dev.robustsynth.trainer.model.Network;
import dev.robustsynth.trainer.train.AttackConfig;
import dev.robustsynth.trainer.train.Checkpoint;
import dev.robustsynth.trainer.train.Losses;
import dev.robustsynth.trainer.train.TrainConfig;
import dev.robustsynth.trainer.train.Trainer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On models the trainer trained, the synthesis graph compiled by platform/autodiff and run by ONNX Runtime gives
 * DJL's (libtorch) logits, per-example loss and autograd input gradient of the same loss on the same weights, in
 * float32, with the network in inference mode (batch norm on running statistics). The loss is the synthesis
 * contract's {@code w_ce·CE(logits, target) − Σ_k w_logit·logits} per example; grad_x is its gradient w.r.t. x per
 * example, i.e. the gradient of the batch sum. Three objectives on 32 real test images: cross entropy on the labels
 * (w_ce 1, w_logit 0), the same plus a random w_logit, and a random soft target with random w_ce and w_logit.
 *
 * <p>Models: tiny smallcnn-fc and ResNet-9 networks trained here for a few batches (standard and PGD-adversarial),
 * exported by {@link OnnxExporter}; the shipped {@code models/fashion-*} (and {@code models/cifar10-*} when
 * present), whose DJL twin is rebuilt from the model.onnx initializers (see {@link OnnxWeights}); the committed
 * {@code cifar10-robust-l2} resume checkpoint, loaded and exported.
 *
 * <p>Bounds: logits and loss 1e-5, grad_x 1e-4, each max|ORT − DJL| / max|DJL|. ResNet-9 has, now and then, one
 * example sitting on a float32 max-pool tie or ReLU kink, where ORT and libtorch round the forward pass differently
 * and take different one-sided gradients (a DJL float64 check during development: on one batch ORT was the float32
 * outlier, on a perturbed batch libtorch float32 was; both agree with float64 to 3e-7 elsewhere). At most
 * {@value #MAX_TIE_EXAMPLES} such examples per objective are accepted, each printed with its error and only if it
 * agrees to 1e-4 once its pixels are moved by at most 1/1024 ({@code atTie}).
 */
class SynthesisGradientParityTest {

    static final double GRAD_TOL = 1e-4;
    static final double LOGIT_TOL = 1e-5;
    static final int IMAGES = 32;
    /** Examples per objective allowed over GRAD_TOL, each only if shown to sit on a float32 tie. */
    static final int MAX_TIE_EXAMPLES = 2;
    static final Path MODELS = Path.of("../../models");
    static final Path CHECKPOINTS = Path.of("checkpoints");

    static NDManager manager;

    @BeforeAll
    static void engine() {
        EngineSetup.init(2);
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** A batch: pixels, labels and the image geometry. */
    record Batch(float[] x, int[] labels, int c, int h, int w, int k) {
        long[] shape() {
            return new long[] {labels.length, c, h, w};
        }
    }

    // ---- models trained here (CI) ---------------------------------------------------------------------------

    private static void briefly(Network net, LabeledImages data, int batches, AttackConfig attack) throws Exception {
        TrainConfig cfg = new TrainConfig(net.spec().family(), net.spec().width(), 1, 32, 0.05f, 0.9f, true, 5e-4f,
                attack, new Augmenter(2, false, true), 1, batches);
        new Trainer(cfg, null, new PrintStream(OutputStream.nullOutputStream())).train(net, manager, data, null, false);
    }

    private static Network fashionFc(int seed) {
        manager.getEngine().setRandomSeed(seed);
        return Network.create(ArchitectureSpec.smallCnnFc(8, 32, 1, 28, 28, 10, new float[] {0.286f},
                new float[] {0.353f}), manager);
    }

    private static Network cifarResNet9(int seed) {
        manager.getEngine().setRandomSeed(seed);
        return Network.create(ArchitectureSpec.resnet9(8, 3, 32, 32, 10, new float[] {0.4914f, 0.4822f, 0.4465f},
                new float[] {0.2470f, 0.2435f, 0.2616f}), manager);
    }

    @Test
    void smallCnnFcStandard() throws Exception {
        Network net = fashionFc(21);
        briefly(net, TestData.fashionTrain().head(2000), 20, null);
        checkAll("tiny smallcnn-fc w8 standard", net, OnnxExporter.export(net, "fc-std"), fashionBatch());
    }

    @Test
    void smallCnnFcAdversarial() throws Exception {
        Network net = fashionFc(22);
        briefly(net, TestData.fashionTrain().head(2000), 12, new AttackConfig(AttackConfig.Norm.L2, 1.5f, 3, 1.25f,
                false));
        checkAll("tiny smallcnn-fc w8 PGD-3 L2", net, OnnxExporter.export(net, "fc-adv"), fashionBatch());
    }

    @Test
    void resNet9Standard() throws Exception {
        LabeledImages cifar = TestData.cifarTestSlice();
        Network net = cifarResNet9(23);
        briefly(net, cifar, 8, null);
        checkAll("tiny resnet9 w8 standard", net, OnnxExporter.export(net, "r9-std"), spread(cifar));
    }

    @Test
    void resNet9Adversarial() throws Exception {
        LabeledImages cifar = TestData.cifarTestSlice();
        Network net = cifarResNet9(24);
        briefly(net, cifar, 6, new AttackConfig(AttackConfig.Norm.L2, 0.5f, 3, 2.5f * 0.5f / 3, false));
        checkAll("tiny resnet9 w8 PGD-3 L2", net, OnnxExporter.export(net, "r9-adv"), spread(cifar));
    }

    // ---- the shipped models ------------------------------------------------------------------------------

    @Test
    void shippedFashionStandard() throws Exception {
        shipped("fashion-standard");
    }

    @Test
    void shippedFashionRobust() throws Exception {
        shipped("fashion-robust-l2");
    }

    @Test
    void shippedCifarStandard() throws Exception {
        shipped("cifar10-standard");
    }

    @Test
    void shippedCifarRobust() throws Exception {
        shipped("cifar10-robust-l2");
    }

    /** The committed resume checkpoint of cifar10-robust-l2 (ResNet-9 w16, BN running statistics as trained). */
    @Test
    void cifarRobustCheckpoint() throws Exception {
        Path ckpt = CHECKPOINTS.resolve("cifar10-robust-l2/last.ckpt");
        Assumptions.assumeTrue(Files.isRegularFile(ckpt), "no checkpoint at " + ckpt);
        LabeledImages cifar = TestData.cifarTestSlice();
        Network net = Network.create(ArchitectureSpec.resnet9(16, 3, 32, 32, 10,
                new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f}), manager);
        Checkpoint.State st = Checkpoint.load(ckpt, net, null, manager);
        checkAll("checkpoint cifar10-robust-l2 (epoch " + st.epochsDone() + ", resnet9 w16)", net,
                OnnxExporter.export(net, "cifar10-robust-l2-ckpt"), spread(cifar));
    }

    private static void shipped(String name) throws Exception {
        Path dir = MODELS.resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("model.onnx")), "no shipped model " + dir);
        Network net = OnnxWeights.load(dir, manager);
        Batch b = net.spec().channels() == 1 ? fashionBatch() : spread(TestData.cifarTestSlice());
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
        checkAll("shipped " + name + " (" + net.spec().description() + ")", net, model, b);
    }

    // ---- data -------------------------------------------------------------------------------------------

    /** The first 32 Fashion-MNIST test images. */
    private static Batch fashionBatch() {
        LabeledImages t = TestData.fashionTest();
        return new Batch(t.toFloats(0, IMAGES), t.labels(0, IMAGES), t.channels(), t.height(), t.width(),
                t.classes().size());
    }

    /** 32 images spread over the CIFAR slice (which is ordered by class). */
    private static Batch spread(LabeledImages s) {
        int size = s.imageSize();
        int stride = s.count() / IMAGES;
        float[] x = new float[IMAGES * size];
        int[] labels = new int[IMAGES];
        for (int i = 0; i < IMAGES; i++) {
            System.arraycopy(s.toFloats(i * stride, 1), 0, x, i * size, size);
            labels[i] = s.labels(i * stride, 1)[0];
        }
        return new Batch(x, labels, s.channels(), s.height(), s.width(), s.classes().size());
    }

    // ---- the check --------------------------------------------------------------------------------------

    /** One objective of the synthesis contract: soft target [N,K], w_ce [N], w_logit [N,K]. */
    record Objective(String name, float[] target, float[] wCe, float[] wLogit) {
        Objective example(int i, int k) {
            return new Objective(name, Arrays.copyOfRange(target, i * k, (i + 1) * k),
                    Arrays.copyOfRange(wCe, i, i + 1), Arrays.copyOfRange(wLogit, i * k, (i + 1) * k));
        }
    }

    private static Objective[] objectives(Batch b, long seed) {
        int n = b.labels().length;
        int k = b.k();
        float[] oneHot = new float[n * k];
        for (int i = 0; i < n; i++) {
            oneHot[i * k + b.labels()[i]] = 1f;
        }
        float[] ones = new float[n];
        Arrays.fill(ones, 1f);
        Random rnd = new Random(seed);
        float[] wLogit = new float[n * k];
        for (int i = 0; i < wLogit.length; i++) {
            wLogit[i] = (float) rnd.nextGaussian();
        }
        float[] soft = new float[n * k];
        float[] wCe = new float[n];
        float[] wLogit2 = new float[n * k];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < k; j++) {
                soft[i * k + j] = rnd.nextFloat() + 0.01f;
                sum += soft[i * k + j];
            }
            for (int j = 0; j < k; j++) {
                soft[i * k + j] /= (float) sum;
                wLogit2[i * k + j] = (float) (0.5 * rnd.nextGaussian());
            }
            wCe[i] = 2 * rnd.nextFloat();
        }
        return new Objective[] {
            new Objective("CE (w_ce 1, w_logit 0)", oneHot, ones, new float[n * k]),
            new Objective("CE + random w_logit", oneHot, ones, wLogit),
            new Objective("soft target, rand w_ce, w_logit", soft, wCe, wLogit2)};
    }

    private static void checkAll(String label, Network net, ModelProto onnx, Batch b) throws Exception {
        long t0 = System.nanoTime();
        CompiledModel compiled = SynthesisCompiler.compile(onnx, CompileOptions.defaults());
        int n = b.labels().length;
        Objective[] objectives = objectives(b, label.hashCode());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        StringBuilder report = new StringBuilder();
        List<String> failures = new ArrayList<>();
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(2);
            try (OrtSession session = env.createSession(compiled.synthesis().toByteArray(), opts)) {
                for (Objective o : objectives) {
                    Errors e = check(session, env, net, b, o);
                    // examples whose grad_x differs by more than the tolerance (relative to the batch's max|g|)
                    List<Integer> off = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        if (e.perExample()[i] > GRAD_TOL) {
                            off.add(i);
                        }
                    }
                    double others = 0;
                    for (int i = 0; i < n; i++) {
                        others = off.contains(i) ? others : Math.max(others, e.perExample()[i]);
                    }
                    report.append(String.format(Locale.ROOT,
                            "[grad-parity] %-58s %-33s logits %.2e  loss %.2e  grad_x %.2e", label, o.name(),
                            e.logits(), e.loss(), e.grad()));
                    if (!off.isEmpty()) {
                        report.append(String.format(Locale.ROOT, " (%d of %d examples over %.0e: %s; the others %.2e)",
                                off.size(), n, GRAD_TOL, off, others));
                    }
                    report.append('\n');
                    if (e.logits() > LOGIT_TOL || e.loss() > LOGIT_TOL) {
                        failures.add(o.name() + ": logits/loss " + e);
                    }
                    if (off.size() > MAX_TIE_EXAMPLES) {
                        failures.add(o.name() + ": grad_x of " + off.size() + " examples over " + GRAD_TOL + ": " + e);
                    }
                    for (int i : off) {
                        String tie = atTie(session, env, net, b, o, i);
                        report.append(String.format(Locale.ROOT, "[grad-parity] %-58s   example %d: %.2e at x; %s%n",
                                label, i, e.perExample()[i], tie));
                        if (tie.startsWith("NOT")) {
                            failures.add(o.name() + ": example " + i + " " + tie);
                        }
                    }
                }
            }
        }
        report.append(String.format(Locale.ROOT, "[grad-parity] %-58s %d images, %.1f s%n", label, n,
                (System.nanoTime() - t0) / 1e9));
        System.out.print(report);
        assertTrue(failures.isEmpty(), label + ": " + failures);
    }

    /**
     * An example whose grad_x differs sits, in float32, on a tie of a max-pool window or a ReLU kink: the two
     * implementations round the forward activations differently and take different (equally valid) one-sided
     * gradients. Shown by the same example agreeing to the tolerance once its pixels are moved by ±1/1024
     * (two fixed draws; either must agree). A wrong gradient rule would still differ there.
     */
    private static String atTie(OrtSession session, OrtEnvironment env, Network net, Batch b, Objective o, int i)
            throws Exception {
        int size = b.c() * b.h() * b.w();
        double[] errs = new double[2];
        for (int draw = 0; draw < errs.length; draw++) {
            Random r = new Random(1000L * i + draw);
            float[] x = Arrays.copyOfRange(b.x(), i * size, (i + 1) * size);
            for (int j = 0; j < size; j++) {
                x[j] = Math.min(1f, Math.max(0f, x[j] + (r.nextFloat() - 0.5f) / 512f));
            }
            Batch one = new Batch(x, new int[] {b.labels()[i]}, b.c(), b.h(), b.w(), b.k());
            errs[draw] = check(session, env, net, one, o.example(i, b.k())).grad();
            if (errs[draw] <= GRAD_TOL) {
                return String.format(Locale.ROOT, "at a float32 tie: moved by <= 1/1024 per pixel (draw %d) it "
                        + "agrees to %.2e", draw, errs[draw]);
            }
        }
        return String.format(Locale.ROOT, "NOT at a tie: still %.2e / %.2e when moved by <= 1/1024 per pixel", errs[0],
                errs[1]);
    }

    /** Max relative errors of one objective; grad_x also per example (relative to the batch's max|g|). */
    record Errors(double logits, double loss, double grad, double[] perExample) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "logits %.2e, loss %.2e, grad_x %.2e", logits, loss, grad);
        }
    }

    /** ORT's synthesis graph against DJL autograd of the same loss for one objective. */
    private static Errors check(OrtSession session, OrtEnvironment env, Network net, Batch b, Objective o) throws Exception {
        float[] target = o.target();
        float[] wCe = o.wCe();
        float[] wLogit = o.wLogit();
        int n = b.labels().length;
        int k = b.k();
        long[] nk = {n, k};
        float[] ortLogits;
        float[] ortLoss;
        float[] ortGrad;
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(b.x()), b.shape());
                OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(target), nk);
                OnnxTensor wc = OnnxTensor.createTensor(env, FloatBuffer.wrap(wCe), new long[] {n});
                OnnxTensor wl = OnnxTensor.createTensor(env, FloatBuffer.wrap(wLogit), nk);
                OrtSession.Result r = session.run(Map.of(SynthesisNames.X, x, SynthesisNames.TARGET, t,
                        SynthesisNames.W_CE, wc, SynthesisNames.W_LOGIT, wl),
                        Set.of(SynthesisNames.LOGITS, SynthesisNames.LOSS, SynthesisNames.GRAD_X))) {
            ortLogits = floats(r, SynthesisNames.LOGITS);
            ortLoss = floats(r, SynthesisNames.LOSS);
            ortGrad = floats(r, SynthesisNames.GRAD_X);
        }

        float[] djlLogits;
        float[] djlLoss;
        float[] djlGrad;
        net.setParametersRequireGradient(false);
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(b.x(), new Shape(b.shape()));
            x.setRequiresGradient(true);
            NDArray tt = sub.create(target, new Shape(n, k));
            NDArray wc = sub.create(wCe, new Shape(n));
            NDArray wl = sub.create(wLogit, new Shape(n, k));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.forward(x, false);
                NDArray loss = Losses.crossEntropy(logits, tt).mul(wc).sub(logits.mul(wl).sum(new int[] {1}));
                djlLogits = logits.toFloatArray();
                djlLoss = loss.toFloatArray();
                gc.backward(loss.sum());
            }
            djlGrad = x.getGradient().toFloatArray();
        } finally {
            net.setParametersRequireGradient(true);
        }
        assertEquals(djlGrad.length, ortGrad.length, "grad_x size");
        double gmax = 0;
        for (float v : djlGrad) {
            gmax = Math.max(gmax, Math.abs(v));
        }
        int per = djlGrad.length / n;
        double[] perExample = new double[n];
        for (int i = 0; i < n; i++) {
            double d = 0;
            for (int j = i * per; j < (i + 1) * per; j++) {
                d = Math.max(d, Math.abs((double) ortGrad[j] - djlGrad[j]));
            }
            perExample[i] = d / gmax;
        }
        return new Errors(rel(ortLogits, djlLogits), rel(ortLoss, djlLoss), rel(ortGrad, djlGrad), perExample);
    }

    private static float[] floats(OrtSession.Result r, String name) {
        OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow(() -> new AssertionError("no output " + name));
        FloatBuffer fb = t.getFloatBuffer();
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
    }

    /** max|a − b| / max|b|. */
    private static double rel(float[] a, float[] b) {
        assertEquals(b.length, a.length);
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            ref = Math.max(ref, Math.abs((double) b[i]));
        }
        assertTrue(ref > 0, "reference is all zeros");
        return diff / ref;
    }
}
