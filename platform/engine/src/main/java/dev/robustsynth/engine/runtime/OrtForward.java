package dev.robustsynth.engine.runtime;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Forward passes (logits and exposed activations) on the forward-only graph, which costs one plain inference:
 * ORT does not prune the synthesis graph to the outputs asked for, so classification never touches it. Safe for
 * concurrent callers (ORT sessions are); large requests run in chunks of at most {@code maxBatch} images.
 */
public final class OrtForward {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelInfo model;
    private final int maxBatch;

    public OrtForward(OrtEnvironment env, OrtSession session, ModelInfo model, int maxBatch) throws OrtException {
        this.env = requireNonNull(env, "env is null");
        this.session = requireNonNull(session, "session is null");
        this.model = requireNonNull(model, "model is null");
        this.maxBatch = maxBatch;
        Set<String> outputs = session.getOutputInfo().keySet();
        if (!outputs.contains(OrtGradientBackend.LOGITS)) {
            throw new IllegalArgumentException("forward graph of model " + model.name() + " lacks output 'logits'; it"
                    + " has " + outputs);
        }
    }

    /** Whether the forward graph outputs {@code layer}. */
    public boolean exposes(String layer) throws OrtException {
        return session.getOutputInfo().containsKey(layer);
    }

    /** One row of {@code output} values per image. Images must have the model's shape. */
    public List<float[]> run(String output, List<Image> images) throws OrtException {
        requireNonNull(output, "output is null");
        List<float[]> rows = new ArrayList<>(images.size());
        int d = model.channels() * model.height() * model.width();
        for (int from = 0; from < images.size(); from += maxBatch) {
            int n = Math.min(maxBatch, images.size() - from);
            FloatBuffer x = ByteBuffer.allocateDirect(n * d * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            float[] pixels = new float[d];
            for (int i = 0; i < n; i++) {
                images.get(from + i).copyTo(pixels, 0);
                x.put(i * d, pixels);
            }
            long[] shape = {n, model.channels(), model.height(), model.width()};
            try (OnnxTensor input = OnnxTensor.createTensor(env, x, shape);
                 OrtSession.Result result = session.run(Map.of(OrtGradientBackend.X, input), Set.of(output))) {
                OnnxValue value = result.get(0);
                FloatBuffer out = ((OnnxTensor) value).getFloatBuffer();
                int per = out.remaining() / n;
                for (int i = 0; i < n; i++) {
                    float[] row = new float[per];
                    out.get(i * per, row);
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    /** Softmax of each row, computed in double and stored as floats. */
    public static float[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }
}
