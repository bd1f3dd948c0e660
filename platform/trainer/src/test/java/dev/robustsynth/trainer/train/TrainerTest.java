package dev.robustsynth.trainer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.robustsynth.trainer.EngineSetup;
import dev.robustsynth.trainer.TestData;
import dev.robustsynth.trainer.data.Augmenter;
import dev.robustsynth.trainer.data.LabeledImages;
import dev.robustsynth.trainer.model.ArchitectureSpec;
import dev.robustsynth.trainer.model.Network;
import dev.robustsynth.trainer.train.AttackConfig.Norm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {

    static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void engine() {
        EngineSetup.init(2);
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static ArchitectureSpec fashionSpec() {
        return ArchitectureSpec.smallCnn(8, 1, 28, 28, 10, new float[] {0.286f}, new float[] {0.353f});
    }

    static TrainConfig tiny(AttackConfig attack) {
        return new TrainConfig("smallcnn", 8, 2, 64, 0.1f, 0.9f, true, 5e-4f, attack, new Augmenter(2, false, true), 3,
                30);
    }

    @Test
    void standardTrainingLearnsAndResumesFromCheckpoint() throws Exception {
        LabeledImages train = TestData.fashionTrain().head(3200);
        LabeledImages test = TestData.fashionTest().head(500);
        manager.getEngine().setRandomSeed(3);
        Network net = Network.create(fashionSpec(), manager);
        Evaluator ev = new Evaluator(net, manager, 250);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Trainer.Result r = new Trainer(tiny(null).withEpochs(1), dir, new PrintStream(log, true)).train(net, manager,
                train, test, false);
        double acc1 = ev.cleanAccuracy(test);
        assertTrue(acc1 > 0.3, "accuracy (chance 0.1) after 30 batches " + acc1 + "\n" + log);
        assertTrue(log.toString().contains("img/s"), log.toString());
        assertEquals(1, r.epochs());

        // a fresh network restored from the checkpoint computes the same logits
        Network copy = Network.create(fashionSpec(), manager);
        Checkpoint.State s = Checkpoint.load(Trainer.lastCheckpoint(dir), copy, new Sgd(0.9f, true, 0), manager);
        assertEquals(1, s.epochsDone());
        try (NDManager bm = manager.newSubManager()) {
            NDArray x = bm.create(test.toFloats(0, 8), new Shape(8, 1, 28, 28));
            assertArrayEquals(net.forward(x, false).toFloatArray(), copy.forward(x, false).toFloatArray(), 1e-6f);
        }
        // resuming a 2-epoch run continues after epoch 1 and keeps improving the loss
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        new Trainer(tiny(null), dir, new PrintStream(log2, true)).train(copy, manager, train, null, true);
        assertTrue(log2.toString().contains("resumed"), log2.toString());
        assertTrue(!log2.toString().contains("epoch 1/2"), log2.toString());
        double acc2 = new Evaluator(copy, manager, 250).cleanAccuracy(test);
        assertTrue(acc2 > 0.3 && acc2 > acc1 - 0.05, "after resumed epoch 2: " + acc2 + ", after epoch 1: " + acc1);
    }

    @Test
    void adversarialTrainingLowersTheLossOnAttackedBatches() throws Exception {
        LabeledImages train = TestData.fashionTrain().head(3200);
        LabeledImages test = TestData.fashionTest().head(200);
        manager.getEngine().setRandomSeed(5);
        Network net = Network.create(fashionSpec(), manager);
        AttackConfig attack = new AttackConfig(Norm.L2, 1.5f, 2, 1.0f, false);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        new Trainer(tiny(attack).withEpochs(1).withMaxBatchesPerEpoch(30), null, new PrintStream(log, true))
                .train(net, manager, train, null, false);
        String[] lines = log.toString().lines().filter(l -> l.contains(" batch ")).toArray(String[]::new);
        double first = lossOf(lines[0]);
        double last = lossOf(lines[lines.length - 1]);
        assertTrue(last < first, "running loss " + first + " -> " + last + "\n" + log);
        Evaluator ev = new Evaluator(net, manager, 150);
        double clean = ev.cleanAccuracy(test);
        double robust = ev.robustAccuracy(test, AttackConfig.evaluation(Norm.L2, 1.5f, 3));
        assertTrue(clean > 0.25, "clean " + clean);
        assertTrue(robust > 0.1 && robust <= clean, "robust " + robust + " clean " + clean);
    }

    private static double lossOf(String line) {
        String[] t = line.split(" ");
        for (int i = 0; i < t.length - 1; i++) {
            if (t[i].equals("loss")) {
                return Double.parseDouble(t[i + 1]);
            }
        }
        throw new IllegalArgumentException(line);
    }

    @Test
    void oneCycleRisesToMaxThenDecays() {
        OneCycle s = OneCycle.of(0.2f, 100);
        assertEquals(0.2f / 25, s.lr(0), 1e-6);
        float peak = 0;
        for (int i = 0; i < 100; i++) {
            peak = Math.max(peak, s.lr(i));
        }
        assertEquals(0.2f, peak, 1e-3);
        assertTrue(s.lr(99) < 1e-4);
    }
}
