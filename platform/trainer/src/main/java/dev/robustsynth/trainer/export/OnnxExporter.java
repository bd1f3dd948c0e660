package dev.robustsynth.trainer.export;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import dev.robustsynth.trainer.model.ArchitectureSpec;
import dev.robustsynth.trainer.model.ConvBn;
import dev.robustsynth.trainer.model.Network;
import dev.robustsynth.trainer.model.StageBlocks;
import dev.robustsynth.trainer.model.StageSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a trained {@link Network} as an ONNX forward graph (opset 17): input {@code x} [N,C,H,W] in [0,1],
 * normalisation as Sub/Div at the input, Conv (batch norm folded into weights and bias), Relu, MaxPool, Add,
 * GlobalAveragePool, Flatten ({@code features}), Gemm ({@code logits}); with a fully connected head instead
 * Flatten, Gemm, Relu ({@code features}), Gemm ({@code logits}). Each stage's output is a tensor named after
 * the stage ({@code stage1}, ...).
 */
public final class OnnxExporter {

    public static final int OPSET = 17;
    public static final int IR_VERSION = 8;

    /** A named intermediate tensor worth exposing, with its per-example shape. */
    public record Layer(String name, long[] shape, String description) {
    }

    private final List<NodeProto> nodes = new ArrayList<>();
    private final List<TensorProto> initializers = new ArrayList<>();
    private int counter;

    private OnnxExporter() {
    }

    public static ModelProto export(Network net, String modelName) {
        return new OnnxExporter().build(net, modelName);
    }

    /** The tensors a model card lists as layers. */
    public static List<Layer> layers(ArchitectureSpec spec) {
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < spec.stages().size(); i++) {
            StageSpec s = spec.stages().get(i);
            int[] hw = spec.spatialAfter(i);
            out.add(new Layer(s.name(), new long[] {s.outChannels(), hw[0], hw[1]},
                    "output of " + s.name() + " (after ReLU" + (s.pool() ? ", max-pool" : "")
                            + (s.residual() ? ", residual block" : "") + ")"));
        }
        out.add(new Layer("features", new long[] {spec.featureSize()}, spec.hidden() > 0
                ? "penultimate representation (fully connected layer after ReLU)"
                : "penultimate representation (after global average pooling)"));
        out.add(new Layer("logits", new long[] {spec.numClasses()}, "class logits"));
        return out;
    }

    private ModelProto build(Network net, String modelName) {
        ArchitectureSpec spec = net.spec();
        int c = spec.channels();
        initializers.add(tensor("norm_mean", new long[] {1, c, 1, 1}, spec.mean()));
        initializers.add(tensor("norm_std", new long[] {1, c, 1, 1}, spec.std()));
        node("Sub", List.of("x", "norm_mean"), "x_centered", List.of());
        node("Div", List.of("x_centered", "norm_std"), "normalized", List.of());
        String cur = "normalized";
        for (StageBlocks sb : net.stages()) {
            StageSpec s = sb.spec();
            boolean last = !s.pool() && !s.residual();
            cur = convBnRelu(sb.main(), cur, s.name() + "_conv", last ? s.name() : s.name() + "_relu");
            if (s.pool()) {
                String out = s.residual() ? s.name() + "_pool" : s.name();
                node("MaxPool", List.of(cur), out, List.of(ints("kernel_shape", 2, 2), ints("strides", 2, 2)));
                cur = out;
            }
            if (s.residual()) {
                String r1 = convBnRelu(sb.residual().get(0), cur, s.name() + "_res1_conv", s.name() + "_res1");
                String r2 = convBnRelu(sb.residual().get(1), r1, s.name() + "_res2_conv", s.name() + "_res2");
                node("Add", List.of(cur, r2), s.name(), List.of());
                cur = s.name();
            }
        }
        AttributeProto axis1 = AttributeProto.newBuilder().setName("axis").setI(1)
                .setType(AttributeProto.AttributeType.INT).build();
        AttributeProto transB = AttributeProto.newBuilder().setName("transB").setI(1)
                .setType(AttributeProto.AttributeType.INT).build();
        if (net.hidden().isPresent()) {
            node("Flatten", List.of(cur), "flat", List.of(axis1));
            float[] hw = net.hidden().get().getParameters().get("weight").getArray().toFloatArray();
            float[] hb = net.hidden().get().getParameters().get("bias").getArray().toFloatArray();
            initializers.add(tensor("hidden_weight", new long[] {spec.hidden(), spec.lastStageSize()}, hw));
            initializers.add(tensor("hidden_bias", new long[] {spec.hidden()}, hb));
            node("Gemm", List.of("flat", "hidden_weight", "hidden_bias"), "hidden", List.of(transB));
            node("Relu", List.of("hidden"), "features", List.of());
        } else {
            node("GlobalAveragePool", List.of(cur), "pooled", List.of());
            node("Flatten", List.of("pooled"), "features", List.of(axis1));
        }
        float[] w = net.head().getParameters().get("weight").getArray().toFloatArray();
        float[] b = net.head().getParameters().get("bias").getArray().toFloatArray();
        initializers.add(tensor("head_weight", new long[] {spec.numClasses(), spec.featureSize()}, w));
        initializers.add(tensor("head_bias", new long[] {spec.numClasses()}, b));
        node("Gemm", List.of("features", "head_weight", "head_bias"), "logits", List.of(transB));

        GraphProto.Builder g = GraphProto.newBuilder().setName(modelName).addAllNode(nodes)
                .addAllInitializer(initializers)
                .addInput(valueInfo("x", "N", c, spec.height(), spec.imageWidth()))
                .addOutput(valueInfo("logits", "N", spec.numClasses()));
        List<Layer> layers = layers(spec);
        for (Layer l : layers) {
            if (!l.name().equals("logits")) {
                long[] full = l.shape();
                g.addValueInfo(valueInfo(l.name(), "N", full));
            }
        }
        return ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("rsynth-trainer")
                .setProducerVersion("0.1").setModelVersion(1).setDocString(modelName + ": " + spec.description())
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET)).setGraph(g).build();
    }

    /** Conv with batch norm folded in (W' = W·s, b' = β − μ·s, s = γ/√(σ²+ε)) followed by Relu. */
    private String convBnRelu(ConvBn cb, String input, String convOut, String reluOut) {
        String prefix = convOut;
        float[] w = cb.conv().getParameters().get("weight").getArray().toFloatArray();
        long[] wShape = cb.conv().getParameters().get("weight").getArray().getShape().getShape();
        float[] gamma = cb.bn().getParameters().get("gamma").getArray().toFloatArray();
        float[] beta = cb.bn().getParameters().get("beta").getArray().toFloatArray();
        float[] mean = cb.bn().getParameters().get("runningMean").getArray().toFloatArray();
        float[] var = cb.bn().getParameters().get("runningVar").getArray().toFloatArray();
        int out = (int) wShape[0];
        int per = w.length / out;
        float[] fw = new float[w.length];
        float[] fb = new float[out];
        for (int o = 0; o < out; o++) {
            double s = gamma[o] / Math.sqrt(var[o] + (double) Network.BN_EPSILON);
            for (int i = 0; i < per; i++) {
                fw[o * per + i] = (float) (w[o * per + i] * s);
            }
            fb[o] = (float) (beta[o] - mean[o] * s);
        }
        initializers.add(tensor(prefix + "_weight", wShape, fw));
        initializers.add(tensor(prefix + "_bias", new long[] {out}, fb));
        node("Conv", List.of(input, prefix + "_weight", prefix + "_bias"), convOut,
                List.of(ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1), ints("strides", 1, 1)));
        node("Relu", List.of(convOut), reluOut, List.of());
        return reluOut;
    }

    private void node(String op, List<String> inputs, String output, List<AttributeProto> attrs) {
        nodes.add(NodeProto.newBuilder().setOpType(op).setName(op.toLowerCase() + "_" + (counter++)).addAllInput(inputs)
                .addOutput(output).addAllAttribute(attrs).build());
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            b.addInts(v);
        }
        return b.build();
    }

    static TensorProto tensor(String name, long[] dims, float[] data) {
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT.getNumber())
                .setRawData(ByteString.copyFrom(buf.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static ValueInfoProto valueInfo(String name, String batch, long... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(batch));
        for (long d : dims) {
            shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        TypeProto type = TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder()
                .setElemType(TensorProto.DataType.FLOAT.getNumber()).setShape(shape)).build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static ValueInfoProto valueInfo(String name, String batch, int... dims) {
        long[] l = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            l[i] = dims[i];
        }
        return valueInfo(name, batch, l);
    }
}
