package dev.robustsynth.trainer.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import dev.robustsynth.trainer.EngineSetup;
import dev.robustsynth.trainer.TestData;
import dev.robustsynth.trainer.data.Augmenter;
import dev.robustsynth.trainer.data.LabeledImages;
import dev.robustsynth.trainer.model.ArchitectureSpec;
import dev.robustsynth.trainer.model.Network;
import dev.robustsynth.trainer.train.TrainConfig;
import dev.robustsynth.trainer.train.Trainer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exported ONNX graph run by ONNX Runtime gives the DJL network's logits on real test images. */
class ExportParityTest {

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

    /** A few training batches so batch-norm statistics and weights are no longer at their initial values. */
    private static void briefly(Network net, LabeledImages data, int batches) throws Exception {
        TrainConfig cfg = new TrainConfig(net.spec().family(), net.spec().width(), 1, 32, 0.05f, 0.9f, true, 5e-4f,
                null, new Augmenter(2, false, true), 1, batches);
        new Trainer(cfg, null, new PrintStream(OutputStream.nullOutputStream())).train(net, manager, data, null, false);
    }

    private static void assertParity(Path onnx, Network net, LabeledImages images, int n) throws Exception {
        OrtParity.Report r = OrtParity.compare(onnx, net, manager, images, n);
        assertEquals(n, r.images());
        assertTrue(r.maxAbsDiff() <= 1e-4 * Math.max(1, r.maxAbsLogit()), "ORT vs DJL: " + r);
        assertEquals(0, r.argMaxMismatches(), r.toString());
    }

    @Test
    void fashionSmallCnnMatchesOn256TestImages() throws Exception {
        manager.getEngine().setRandomSeed(11);
        Network net = Network.create(ArchitectureSpec.smallCnn(8, 1, 28, 28, 10, new float[] {0.286f},
                new float[] {0.353f}), manager);
        briefly(net, TestData.fashionTrain().head(2000), 20);
        ModelProto model = OnnxExporter.export(net, "fashion-test");
        Path onnx = dir.resolve("model.onnx");
        Files.write(onnx, model.toByteArray());
        assertParity(onnx, net, TestData.fashionTest(), 256);

        Set<String> ops = model.getGraph().getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toSet());
        assertEquals(Set.of("Sub", "Div", "Conv", "Relu", "MaxPool", "GlobalAveragePool", "Flatten", "Gemm"), ops);
        Set<String> outputs = model.getGraph().getNodeList().stream().flatMap(n -> n.getOutputList().stream())
                .collect(Collectors.toSet());
        for (OnnxExporter.Layer l : OnnxExporter.layers(net.spec())) {
            assertTrue(outputs.contains(l.name()), l.name());
        }
        assertEquals("N", model.getGraph().getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
        assertEquals(17, model.getOpsetImport(0).getVersion());
    }

    @Test
    void fullyConnectedHeadMatches() throws Exception {
        manager.getEngine().setRandomSeed(13);
        Network net = Network.create(ArchitectureSpec.smallCnnFc(8, 32, 1, 28, 28, 10, new float[] {0.286f},
                new float[] {0.353f}), manager);
        briefly(net, TestData.fashionTrain().head(2000), 20);
        Path onnx = dir.resolve("fc.onnx");
        Files.write(onnx, OnnxExporter.export(net, "fashion-fc-test").toByteArray());
        assertParity(onnx, net, TestData.fashionTest(), 256);
        assertEquals(32, OnnxExporter.layers(net.spec()).stream().filter(l -> l.name().equals("features")).findFirst()
                .orElseThrow().shape()[0]);
    }

    @Test
    void cifarResNet9MatchesOnRealCifarImages() throws Exception {
        LabeledImages cifar = TestData.cifarTestSlice();
        manager.getEngine().setRandomSeed(12);
        Network net = Network.create(ArchitectureSpec.resnet9(8, 3, 32, 32, 10,
                new float[] {0.4914f, 0.4822f, 0.4465f}, new float[] {0.2470f, 0.2435f, 0.2616f}), manager);
        briefly(net, cifar, 8);
        Path onnx = dir.resolve("resnet9.onnx");
        Files.write(onnx, OnnxExporter.export(net, "cifar-test").toByteArray());
        assertParity(onnx, net, cifar, 256);
    }

    @Test
    void batchNormEpsilonIsTheOneTheExporterFolds() throws Exception {
        Field f = ai.djl.nn.norm.BatchNorm.class.getDeclaredField("epsilon");
        f.setAccessible(true);
        assertEquals(Network.BN_EPSILON, (float) f.get(ai.djl.nn.norm.BatchNorm.builder().build()), 0f,
                "DJL's default batch-norm epsilon changed: checkpoints trained with it fold differently");
    }
}
