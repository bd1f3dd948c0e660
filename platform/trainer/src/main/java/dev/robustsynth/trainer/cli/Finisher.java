package dev.robustsynth.trainer.cli;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.robustsynth.trainer.Preset;
import dev.robustsynth.trainer.data.LabeledImages;
import dev.robustsynth.trainer.export.Metrics;
import dev.robustsynth.trainer.export.ModelCard;
import dev.robustsynth.trainer.export.OnnxExporter;
import dev.robustsynth.trainer.export.OrtParity;
import dev.robustsynth.trainer.export.SeedMixture;
import dev.robustsynth.trainer.export.SeedStatistics;
import dev.robustsynth.trainer.model.Network;
import dev.robustsynth.trainer.train.AttackConfig;
import dev.robustsynth.trainer.train.Evaluator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** Evaluation and export of a trained network into a model directory. */
final class Finisher {

    static final double SEED_RIDGE = 1e-4;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Finisher() {
    }

    static Metrics evaluate(Preset p, Network net, NDManager manager, LabeledImages test, int robustImages, int steps,
            PrintStream log) {
        Evaluator ev = new Evaluator(net, manager, 250);
        long t0 = System.nanoTime();
        double clean = ev.cleanAccuracy(test);
        log.printf(Locale.ROOT, "clean accuracy %.4f on %d test images (%.0f s)%n", clean, test.count(),
                (System.nanoTime() - t0) / 1e9);
        LabeledImages few = test.spread(robustImages);
        List<Metrics.Robust> robust = new ArrayList<>();
        for (float eps : p.evalRadii()) {
            AttackConfig a = AttackConfig.evaluation(p.evalNorm(), eps, steps);
            t0 = System.nanoTime();
            double acc = ev.robustAccuracy(few, a);
            log.printf(Locale.ROOT, "robust accuracy %.4f under PGD-%d %s eps %.3f step %.4f on %d images (%.0f s)%n", acc,
                    steps, a.norm().id(), eps, a.stepSize(), few.count(), (System.nanoTime() - t0) / 1e9);
            log.flush();
            robust.add(new Metrics.Robust(a.norm().id(), eps, steps, a.stepSize(), few.count(), acc));
        }
        return new Metrics(test.count(), clean, robust);
    }

    static void writeMetrics(Path file, Metrics m) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), m);
    }

    static Metrics readMetrics(Path file) throws IOException {
        return JSON.readValue(file.toFile(), Metrics.class);
    }

    /**
     * Exports model.onnx, seeds.bin, seeds-mixture.bin and model.json into {@code out}; checks ORT against DJL on test
     * images.
     */
    static void export(Preset p, Network net, NDManager manager, LabeledImages train, LabeledImages test, Metrics metrics,
            double trainingSeconds, Path out, PrintStream log) throws Exception {
        Files.createDirectories(out);
        ModelProto model = OnnxExporter.export(net, p.name());
        Path onnx = out.resolve("model.onnx");
        byte[] bytes = model.toByteArray();
        Files.write(onnx, bytes);
        OrtParity.Report parity = OrtParity.compare(onnx, net, manager, test, 256);
        log.printf(Locale.ROOT, "ORT vs DJL on %d test images: max |diff| %.3g (max |logit| %.3g), arg-max mismatches %d%n",
                parity.images(), parity.maxAbsDiff(), parity.maxAbsLogit(), parity.argMaxMismatches());
        if (parity.maxAbsDiff() > 1e-3 * Math.max(1, parity.maxAbsLogit())) {
            throw new IllegalStateException("exported graph disagrees with the DJL network: " + parity);
        }
        long t0 = System.nanoTime();
        float[][] reduced = SeedStatistics.reduce(train, p.seedSize(), p.seedSize());
        SeedStatistics seeds = SeedStatistics.compute(train, reduced, p.seedSize(), p.seedSize(), SEED_RIDGE);
        seeds.write(out.resolve(SeedStatistics.FILE));
        SeedMixture mixture = SeedMixture.fit(train, reduced, p.seedSize(), p.seedSize(),
                SeedMixture.DEFAULT_COMPONENTS, SeedMixture.DEFAULT_SEED);
        mixture.write(out.resolve(SeedMixture.FILE));
        log.printf(Locale.ROOT, "seed statistics and %d-component mixtures at %dx%d from %d training images (%.0f s)%n",
                mixture.components(), p.seedSize(), p.seedSize(), train.count(), (System.nanoTime() - t0) / 1e9);
        ModelCard card = new ModelCard(p.name(), train.classes(), net.spec(), p.train(), trainingSeconds, metrics,
                sha256(bytes), seeds, p.synthesis());
        JSON.writeValue(out.resolve("model.json").toFile(), SeedMixture.withSeedBlocks(card.toJson(),
                seeds.cardBlock(SeedStatistics.FILE), mixture.cardBlock(SeedMixture.FILE)));
        log.printf("wrote %s (model.onnx %d bytes, seeds.bin, seeds-mixture.bin, model.json)%n", out, bytes.length);
    }

    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static void finish(Preset p, Network net, NDManager manager, LabeledImages train, LabeledImages test, Path ckptDir,
            Path out, double seconds, PrintStream log) throws Exception {
        Metrics m = evaluate(p, net, manager, test, p.robustImages(), p.evalSteps(), log);
        writeMetrics(ckptDir.resolve("metrics.json"), m);
        export(p, net, manager, train, test, m, seconds, out, log);
    }
}
