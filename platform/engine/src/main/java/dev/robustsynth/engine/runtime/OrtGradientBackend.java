package dev.robustsynth.engine.runtime;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.robustsynth.engine.optim.Layers;
import dev.robustsynth.engine.schedule.GradientBackend;
import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.ModelInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The synthesis graph behind a {@link GradientBackend}: one direct, native-order buffer per graph input and output
 * with room for {@code capacity} rows, and for each batch size n one set of {@link OnnxTensor}s that wrap the
 * first n rows of those buffers without copying. Outputs are pinned, so ORT writes loss, gradient and logits
 * straight into the buffers the scheduler reads: a tick allocates no tensor and copies nothing beyond ORT's run.
 * Not thread-safe: the model's scheduler thread is its only user.
 */
public final class OrtGradientBackend implements GradientBackend, AutoCloseable {
    public static final String X = "x";
    public static final String TARGET = "target";
    public static final String W_CE = "w_ce";
    public static final String W_LOGIT = "w_logit";
    public static final String LOSS = "loss";
    public static final String GRAD = "grad_x";
    public static final String LOGITS = "logits";

    /** The graph input carrying the weights of exposed layer {@code layer}. */
    public static String layerWeightInput(String layer) {
        return "w_" + layer;
    }

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelInfo model;
    private final int capacity;
    private final Map<String, Row> inputs = new LinkedHashMap<>();
    private final Map<String, Row> outputs = new LinkedHashMap<>();
    private final List<FloatBuffer> layerBuffers = new ArrayList<>();
    private final Bound[] bound;
    private boolean closed;

    /** A buffer and the shape of one row (without the batch axis). */
    private record Row(FloatBuffer buffer, long[] shape, int size) {
    }

    /** The tensors of one batch size. */
    private record Bound(Map<String, OnnxTensor> inputs, Map<String, OnnxTensor> outputs) {
    }

    /**
     * @param session a session over a synthesis graph following the gradient contract; not closed by this backend
     * @throws IllegalArgumentException naming the input or output the graph lacks
     */
    public OrtGradientBackend(OrtEnvironment env, OrtSession session, ModelInfo model, int capacity)
            throws OrtException {
        this.env = requireNonNull(env, "env is null");
        this.session = requireNonNull(session, "session is null");
        this.model = requireNonNull(model, "model is null");
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.capacity = capacity;
        long[] image = {model.channels(), model.height(), model.width()};
        long[] classes = {model.numClasses()};
        inputs.put(X, row(image));
        inputs.put(TARGET, row(classes));
        inputs.put(W_CE, row(new long[0]));
        inputs.put(W_LOGIT, row(classes));
        for (LayerInfo layer : Layers.graphLayers(model)) {
            Row r = row(toLong(layer.shape()));
            inputs.put(layerWeightInput(layer.name()), r);
            layerBuffers.add(r.buffer());
        }
        outputs.put(LOSS, row(new long[0]));
        outputs.put(GRAD, row(image));
        outputs.put(LOGITS, row(classes));
        checkGraph(session.getInputInfo(), inputs.keySet(), "input");
        checkGraph(session.getOutputInfo(), outputs.keySet(), "output");
        this.bound = new Bound[capacity + 1];
    }

    private static void checkGraph(Map<String, NodeInfo> graph, Set<String> needed, String kind) {
        for (String name : needed) {
            if (!graph.containsKey(name)) {
                throw new IllegalArgumentException("synthesis graph lacks " + kind + " '" + name + "'; it has "
                        + graph.keySet());
            }
        }
        if (kind.equals("input") && !needed.containsAll(graph.keySet())) {
            throw new IllegalArgumentException("synthesis graph has inputs " + graph.keySet()
                    + " beyond the contract's " + needed);
        }
    }

    private Row row(long[] shape) {
        int size = 1;
        for (long d : shape) {
            size = Math.multiplyExact(size, (int) d);
        }
        FloatBuffer buffer = ByteBuffer.allocateDirect(Math.multiplyExact(Math.multiplyExact(size, capacity), 4))
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        return new Row(buffer, shape, size);
    }

    private static long[] toLong(int[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[i];
        }
        return out;
    }

    private Bound bind(int n) throws OrtException {
        Bound b = bound[n];
        if (b == null) {
            b = new Bound(tensors(inputs, n), tensors(outputs, n));
            bound[n] = b;
        }
        return b;
    }

    private Map<String, OnnxTensor> tensors(Map<String, Row> rows, int n) throws OrtException {
        Map<String, OnnxTensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Row> e : rows.entrySet()) {
            Row r = e.getValue();
            long[] shape = new long[r.shape().length + 1];
            shape[0] = n;
            System.arraycopy(r.shape(), 0, shape, 1, r.shape().length);
            FloatBuffer slice = r.buffer().slice(0, n * r.size());
            out.put(e.getKey(), OnnxTensor.createTensor(env, slice, shape));
        }
        return out;
    }

    @Override
    public ModelInfo model() {
        return model;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public FloatBuffer x() {
        return inputs.get(X).buffer();
    }

    @Override
    public FloatBuffer target() {
        return inputs.get(TARGET).buffer();
    }

    @Override
    public FloatBuffer ceWeight() {
        return inputs.get(W_CE).buffer();
    }

    @Override
    public FloatBuffer logitWeights() {
        return inputs.get(W_LOGIT).buffer();
    }

    @Override
    public FloatBuffer layerWeights(int layer) {
        return layerBuffers.get(layer);
    }

    @Override
    public FloatBuffer loss() {
        return outputs.get(LOSS).buffer();
    }

    @Override
    public FloatBuffer grad() {
        return outputs.get(GRAD).buffer();
    }

    @Override
    public FloatBuffer logits() {
        return outputs.get(LOGITS).buffer();
    }

    @Override
    public void run(int n) throws OrtException {
        if (closed) {
            throw new IllegalStateException("backend of model " + model.name() + " is closed");
        }
        if (n <= 0 || n > capacity) {
            throw new IllegalArgumentException("batch of " + n + " outside [1," + capacity + "]");
        }
        Bound b = bind(n);
        try (OrtSession.Result result = session.run(b.inputs(), Set.of(), b.outputs())) {
            // Pinned outputs only: ORT writes into our buffers, and closing the result releases nothing we keep.
            assert result.size() == outputs.size();
        }
    }

    /** Closes the tensors; the buffers go with the garbage collector. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Bound b : bound) {
            if (b != null) {
                b.inputs().values().forEach(OnnxValue::close);
                b.outputs().values().forEach(OnnxValue::close);
            }
        }
    }
}
