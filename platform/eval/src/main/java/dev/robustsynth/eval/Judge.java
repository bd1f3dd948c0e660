package dev.robustsynth.eval;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.robustsynth.spi.Image;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The independent classifier that scores every method: a standard model of another architecture and seed than the
 * synthesis models, trained separately by the trainer ({@code cifar10-judge}, {@code fashion-judge}) and used by no
 * task. Gives class probabilities and its penultimate {@code features} (for the Fréchet distance).
 */
final class Judge implements AutoCloseable {
    private static final String INPUT = "x";
    private static final String LOGITS = "logits";
    private static final String FEATURES = "features";
    private static final int BATCH = 250;

    private final String name;
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    /** Probabilities and features of a list of images, one row each. */
    record Judgement(float[][] probabilities, float[][] features) {
        int predicted(int i) {
            return Metrics.argmax(probabilities[i]);
        }

        int size() {
            return probabilities.length;
        }
    }

    private Judge(String name, OrtSession session) {
        this.name = name;
        this.session = session;
    }

    /** Loads {@code dir/model.onnx}, exposing its {@code features} tensor as a second output. */
    static Judge load(Path dir, int threads) throws IOException, OrtException {
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx")));
        boolean exposed = model.getGraph().getOutputList().stream().anyMatch(o -> o.getName().equals(FEATURES));
        if (!exposed) {
            ValueInfoProto features = ValueInfoProto.newBuilder().setName(FEATURES)
                    .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                            .setElemType(TensorProto.DataType.FLOAT_VALUE)))
                    .build();
            model = model.toBuilder().setGraph(model.getGraph().toBuilder().addOutput(features)).build();
        }
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        if (threads > 0) {
            options.setIntraOpNumThreads(threads);
        }
        OrtSession session = OrtEnvironment.getEnvironment().createSession(model.toByteArray(), options);
        return new Judge(dir.getFileName().toString(), session);
    }

    String name() {
        return name;
    }

    Judgement judge(List<Image> images) throws OrtException {
        int n = images.size();
        float[][] probabilities = new float[n][];
        float[][] features = new float[n][];
        for (int from = 0; from < n; from += BATCH) {
            int m = Math.min(BATCH, n - from);
            Image first = images.get(from);
            int d = first.size();
            float[] x = new float[m * d];
            for (int i = 0; i < m; i++) {
                images.get(from + i).copyTo(x, i * d);
            }
            long[] shape = {m, first.channels(), first.height(), first.width()};
            try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
                 OrtSession.Result result = session.run(Map.of(INPUT, input), Set.of(LOGITS, FEATURES))) {
                float[][] logits = (float[][]) result.get(LOGITS).orElseThrow().getValue();
                float[][] feats = flatten(result.get(FEATURES).orElseThrow().getValue(), m);
                for (int i = 0; i < m; i++) {
                    probabilities[from + i] = Metrics.softmax(logits[i]);
                    features[from + i] = feats[i];
                }
            }
        }
        return new Judgement(probabilities, features);
    }

    private static float[][] flatten(Object value, int rows) {
        if (value instanceof float[][] matrix) {
            return matrix;
        }
        throw new IllegalStateException("judge features are not a [batch, d] float tensor (" + rows + " rows): "
                + value.getClass().getSimpleName());
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
