package dev.robustsynth.trainer.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.robustsynth.trainer.data.LabeledImages;
import dev.robustsynth.trainer.model.Network;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The training loop: per epoch a seeded shuffle, augmented batches, optional PGD inside the loop
 * (adversarial training: the loss is taken on the attacked batch only), SGD with a OneCycle schedule, a
 * progress line, a quick test-set check and a checkpoint ({@code last.ckpt}) that {@code resume} continues
 * from.
 */
public final class Trainer {

    /** What a finished run reports. */
    public record Result(int epochs, double trainingSeconds, double lastTrainLoss, double lastTrainAccuracy,
            double imagesPerSecond) {
    }

    private final TrainConfig cfg;
    private final Path checkpointDir;
    private final PrintStream log;

    public Trainer(TrainConfig cfg, Path checkpointDir, PrintStream log) {
        this.cfg = Objects.requireNonNull(cfg, "cfg is null");
        this.checkpointDir = checkpointDir;
        this.log = Objects.requireNonNull(log, "log is null");
    }

    public static Path lastCheckpoint(Path dir) {
        return dir.resolve("last.ckpt");
    }

    /**
     * Trains {@code net} (already created with the config's architecture) in {@code manager}.
     *
     * @param monitor a few test images for the per-epoch check, or null
     * @param resume  continue from {@code checkpointDir/last.ckpt} when it exists
     */
    public Result train(Network net, NDManager manager, LabeledImages data, LabeledImages monitor, boolean resume)
            throws IOException {
        Sgd sgd = new Sgd(cfg.momentum(), cfg.nesterov(), cfg.weightDecay());
        int stepsPerEpoch = data.count() / cfg.batchSize();
        if (cfg.maxBatchesPerEpoch() > 0) {
            stepsPerEpoch = Math.min(stepsPerEpoch, cfg.maxBatchesPerEpoch());
        }
        if (stepsPerEpoch == 0) {
            throw new IllegalArgumentException("batch size " + cfg.batchSize() + " exceeds the " + data.count()
                    + " training images");
        }
        OneCycle schedule = OneCycle.of(cfg.maxLr(), (long) stepsPerEpoch * cfg.epochs());
        Checkpoint.State state = new Checkpoint.State(0, 0, 0);
        Path ckpt = checkpointDir == null ? null : lastCheckpoint(checkpointDir);
        if (resume && ckpt != null && Files.isRegularFile(ckpt)) {
            state = Checkpoint.load(ckpt, net, sgd, manager);
            log.printf(Locale.ROOT, "resumed from %s after epoch %d (step %d, %.0f s trained)%n", ckpt,
                    state.epochsDone(), state.globalStep(), state.trainingSeconds());
        }
        int k = data.classes().size();
        Shape batchShape = new Shape(cfg.batchSize(), data.channels(), data.height(), data.width());
        long step = state.globalStep();
        double seconds = state.trainingSeconds();
        double lastLoss = Double.NaN;
        double lastAcc = Double.NaN;
        double lastRate = Double.NaN;
        for (int epoch = state.epochsDone(); epoch < cfg.epochs(); epoch++) {
            Engine.getInstance().setRandomSeed(cfg.seed() * 1000 + epoch);
            SplittableRandom rng = new SplittableRandom(cfg.seed() * 1_000_003L + epoch);
            int[] order = permutation(data.count(), rng);
            long t0 = System.nanoTime();
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            long windowStart = t0;
            long windowImages = 0;
            int every = Math.max(1, stepsPerEpoch / 10);
            for (int b = 0; b < stepsPerEpoch; b++) {
                float lr = schedule.lr(step);
                try (NDManager bm = manager.newSubManager()) {
                    float[] xs = cfg.augment().batch(data, order, b * cfg.batchSize(), cfg.batchSize(), rng);
                    int[] ys = new int[cfg.batchSize()];
                    for (int i = 0; i < ys.length; i++) {
                        ys[i] = data.labels()[order[b * cfg.batchSize() + i]];
                    }
                    NDArray x = bm.create(xs, batchShape);
                    NDArray y = bm.create(ys);
                    NDArray oneHot = y.oneHot(k);
                    NDArray input = x;
                    if (cfg.attack() != null) {
                        input = Pgd.attack(net, x, oneHot, cfg.attack(), null);
                    }
                    NDArray logits;
                    NDArray loss;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        logits = net.forward(input, true);
                        loss = Losses.crossEntropy(logits, oneHot).mean();
                        gc.backward(loss);
                    }
                    sgd.step(net, bm, lr);
                    lossSum += loss.getFloat() * cfg.batchSize();
                    correct += Losses.correct(logits, y);
                    seen += cfg.batchSize();
                    windowImages += cfg.batchSize();
                }
                step++;
                if ((b + 1) % every == 0 || b + 1 == stepsPerEpoch) {
                    long now = System.nanoTime();
                    double rate = windowImages / ((now - windowStart) / 1e9);
                    lastRate = rate;
                    log.printf(Locale.ROOT, "epoch %d/%d batch %d/%d loss %.4f acc %.4f lr %.4f %.0f img/s%n", epoch + 1,
                            cfg.epochs(), b + 1, stepsPerEpoch, lossSum / seen, correct / (double) seen, lr, rate);
                    log.flush();
                    windowStart = now;
                    windowImages = 0;
                }
            }
            double epochSeconds = (System.nanoTime() - t0) / 1e9;
            seconds += epochSeconds;
            lastLoss = lossSum / seen;
            lastAcc = correct / (double) seen;
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                    "epoch %d/%d done in %.0f s (%.0f s total): train loss %.4f acc %.4f", epoch + 1, cfg.epochs(),
                    epochSeconds, seconds, lastLoss, lastAcc));
            if (monitor != null) {
                Evaluator ev = new Evaluator(net, manager, 250);
                line.append(String.format(Locale.ROOT, "; test[%d] clean %.4f", monitor.count(),
                        ev.cleanAccuracy(monitor)));
                if (cfg.attack() != null) {
                    AttackConfig quick = AttackConfig.evaluation(cfg.attack().norm(), cfg.attack().eps(), 5);
                    LabeledImages few = monitor.spread(500);
                    line.append(String.format(Locale.ROOT, ", pgd-5 robust[%d] %.4f", few.count(),
                            ev.robustAccuracy(few, quick)));
                }
            }
            log.println(line);
            log.flush();
            if (ckpt != null) {
                Checkpoint.save(ckpt, net, sgd, new Checkpoint.State(epoch + 1, step, seconds));
            }
        }
        return new Result(cfg.epochs(), seconds, lastLoss, lastAcc, lastRate);
    }

    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
