package dev.robustsynth.engine.testing;

import static dev.robustsynth.engine.testing.Onnx.batched;
import static dev.robustsynth.engine.testing.Onnx.floats;
import static dev.robustsynth.engine.testing.Onnx.intAttr;
import static dev.robustsynth.engine.testing.Onnx.longs;
import static dev.robustsynth.engine.testing.Onnx.node;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.robustsynth.engine.model.CompiledGraphs;
import dev.robustsynth.engine.model.GraphCompiler;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A linear softmax classifier {@code logits = flatten(x)·W + b} with one exposed layer {@code features} (a copy of
 * the logits), and its synthesis graph written by hand with the gradient of the contract: {@code ∂loss/∂logits =
 * w_ce·(p·Σt − t) − w_logit − w_features}, {@code grad_x = reshape(∂loss/∂logits · Wᵀ)}.
 */
public final class TinyLinearModel {
    public final int channels;
    public final int height;
    public final int width;
    public final int classes;
    final float[] weight;
    final float[] bias;

    public TinyLinearModel(int channels, int height, int width, int classes, long seed) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
        SplittableRandom random = new SplittableRandom(seed);
        int d = channels * height * width;
        this.weight = new float[d * classes];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) random.nextGaussian(0, 1.0 / Math.sqrt(d)) * 4;
        }
        this.bias = new float[classes];
        for (int i = 0; i < classes; i++) {
            bias[i] = (float) random.nextGaussian(0, 0.1);
        }
    }

    private TinyLinearModel(int channels, int height, int width, int classes, float[] weight, float[] bias) {
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
        this.weight = weight;
        this.bias = bias;
    }

    int dim() {
        return channels * height * width;
    }

    /** The forward classifier as a trainer would ship it: {@code x → logits}. */
    public byte[] forwardModel() {
        return Onnx.model(forwardGraph(false));
    }

    private GraphProto forwardGraph(boolean exposeFeatures) {
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny-linear")
                .addInitializer(floats("W", new long[] {dim(), classes}, weight))
                .addInitializer(floats("b", new long[] {classes}, bias))
                .addInput(batched("x", channels, height, width))
                .addNode(node("Flatten", List.of("x"), "xf", intAttr("axis", 1)))
                .addNode(node("Gemm", List.of("xf", "W", "b"), "logits"))
                .addNode(node("Identity", List.of("logits"), "features"))
                .addOutput(batched("logits", classes));
        if (exposeFeatures) {
            g.addOutput(batched("features", classes));
        }
        return g.build();
    }

    /** The synthesis graph of the gradient contract, layer {@code features} exposed. */
    public byte[] synthesisModel() {
        GraphProto.Builder g = forwardGraph(false).toBuilder().setName("tiny-linear-synthesis")
                .addInitializer(longs("axis1", 1))
                .addInput(batched("target", classes))
                .addInput(batched("w_ce"))
                .addInput(batched("w_logit", classes))
                .addInput(batched("w_features", classes))
                .addNode(node("LogSoftmax", List.of("logits"), "lsm", intAttr("axis", 1)))
                .addNode(node("Softmax", List.of("logits"), "p", intAttr("axis", 1)))
                .addNode(node("Mul", List.of("target", "lsm"), "tl"))
                .addNode(node("ReduceSum", List.of("tl", "axis1"), "tls", intAttr("keepdims", 0)))
                .addNode(node("Neg", List.of("tls"), "ce"))
                .addNode(node("Mul", List.of("w_ce", "ce"), "wce"))
                .addNode(node("Mul", List.of("w_logit", "logits"), "wl"))
                .addNode(node("ReduceSum", List.of("wl", "axis1"), "lin", intAttr("keepdims", 0)))
                .addNode(node("Mul", List.of("w_features", "features"), "wf"))
                .addNode(node("ReduceSum", List.of("wf", "axis1"), "flin", intAttr("keepdims", 0)))
                .addNode(node("Sub", List.of("wce", "lin"), "l1"))
                .addNode(node("Sub", List.of("l1", "flin"), "loss"))
                .addNode(node("ReduceSum", List.of("target", "axis1"), "st", intAttr("keepdims", 1)))
                .addNode(node("Mul", List.of("p", "st"), "pst"))
                .addNode(node("Sub", List.of("pst", "target"), "dce"))
                .addNode(node("Unsqueeze", List.of("w_ce", "axis1"), "wce2"))
                .addNode(node("Mul", List.of("wce2", "dce"), "g1"))
                .addNode(node("Sub", List.of("g1", "w_logit"), "g2"))
                .addNode(node("Sub", List.of("g2", "w_features"), "gz"))
                .addNode(node("Gemm", List.of("gz", "W"), "gxf", intAttr("transB", 1)))
                .addNode(node("Shape", List.of("x"), "xs"))
                .addNode(node("Reshape", List.of("gxf", "xs"), "grad_x"))
                .addOutput(batched("loss"))
                .addOutput(batched("grad_x", channels, height, width))
                .addOutput(batched("features", classes));
        return Onnx.model(g.build());
    }

    /** Reads a model written by {@link #forwardModel()} back. */
    static TinyLinearModel parse(byte[] forward) throws InvalidProtocolBufferException {
        GraphProto g = ModelProto.parseFrom(forward).getGraph();
        TensorProto w = g.getInitializerList().stream().filter(t -> t.getName().equals("W")).findFirst().orElseThrow();
        TensorProto b = g.getInitializerList().stream().filter(t -> t.getName().equals("b")).findFirst().orElseThrow();
        long[] x = g.getInput(0).getType().getTensorType().getShape().getDimList().stream()
                .mapToLong(dim -> dim.getDimValue()).toArray();
        return new TinyLinearModel((int) x[1], (int) x[2], (int) x[3], (int) w.getDims(1),
                toArray(w.getFloatDataList()), toArray(b.getFloatDataList()));
    }

    private static float[] toArray(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /** A "compiler" that only knows this model family: it reads W and b back and writes both graphs. */
    public static GraphCompiler compiler() {
        return new GraphCompiler() {
            @Override
            public String version() {
                return "tiny-linear-1";
            }

            @Override
            public CompiledGraphs compile(byte[] forwardModel, List<String> layers) throws Exception {
                TinyLinearModel m = parse(forwardModel);
                return new CompiledGraphs(m.synthesisModel(), Onnx.model(m.forwardGraph(true)), List.of("features"));
            }
        };
    }
}
