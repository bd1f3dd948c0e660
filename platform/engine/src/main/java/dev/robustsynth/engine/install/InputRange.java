package dev.robustsynth.engine.install;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.Arrays;
import java.util.Locale;

/**
 * The pixel range a user's classifier expects. The engine always feeds [0,1] ({@link #UNIT}); for any other range
 * {@link #fold} puts the affine map u ↦ scale·u + shift in front of the graph, so the served model takes [0,1].
 */
public enum InputRange {
    UNIT("0:1", new double[] {1}, new double[] {0}),
    BYTE("0:255", new double[] {255}, new double[] {0}),
    SIGNED("-1:1", new double[] {2}, new double[] {-1}),
    /** torchvision's (u − mean) / std per RGB channel. */
    IMAGENET("imagenet", new double[] {1 / 0.229, 1 / 0.224, 1 / 0.225},
            new double[] {-0.485 / 0.229, -0.456 / 0.224, -0.406 / 0.225});

    private final String flag;
    private final double[] scale;
    private final double[] shift;

    InputRange(String flag, double[] scale, double[] shift) {
        this.flag = flag;
        this.scale = scale;
        this.shift = shift;
    }

    /** The spelling of {@code --input-range}: 0:1, 0:255, -1:1 or imagenet. */
    public String flag() {
        return flag;
    }

    /** Parses {@code --input-range}; {@code IllegalArgumentException} naming the accepted values otherwise. */
    public static InputRange parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        for (InputRange r : values()) {
            if (r.flag.equals(t)) {
                return r;
            }
        }
        throw new IllegalArgumentException("--input-range must be one of 0:1, 0:255, -1:1, imagenet; got " + text);
    }

    /** Whether this range can serve a model of {@code channels} channels (ImageNet statistics are RGB). */
    public boolean fits(int channels) {
        return scale.length == 1 || scale.length == channels;
    }

    /** The model input for engine pixel {@code u} of channel {@code c}. */
    public float apply(float u, int c) {
        int i = scale.length == 1 ? 0 : c;
        return (float) (scale[i] * u + shift[i]);
    }

    /**
     * The model with {@code Mul}/{@code Add} by per-channel constants inserted after its image input {@code input},
     * every former use of the input reading the mapped tensor instead; {@link #UNIT} returns the model unchanged.
     */
    public ModelProto fold(ModelProto model, String input, int channels) {
        if (this == UNIT) {
            return model;
        }
        if (!fits(channels)) {
            throw new IllegalArgumentException(flag + " needs " + scale.length + " channels; the model has " + channels);
        }
        String scaleName = input + "/input_range_scale";
        String shiftName = input + "/input_range_shift";
        String scaled = input + "/input_range_scaled";
        String mapped = input + "/input_range_mapped";
        var graph = model.getGraph().toBuilder();
        for (int n = 0; n < graph.getNodeCount(); n++) {
            NodeProto.Builder node = graph.getNodeBuilder(n);
            for (int i = 0; i < node.getInputCount(); i++) {
                if (node.getInput(i).equals(input)) {
                    node.setInput(i, mapped);
                }
            }
        }
        graph.addInitializer(perChannel(scaleName, scale, channels));
        graph.addInitializer(perChannel(shiftName, shift, channels));
        graph.addNode(0, NodeProto.newBuilder().setOpType("Mul").setName(scaled).addInput(input).addInput(scaleName)
                .addOutput(scaled));
        graph.addNode(1, NodeProto.newBuilder().setOpType("Add").setName(mapped).addInput(scaled).addInput(shiftName)
                .addOutput(mapped));
        return model.toBuilder().setGraph(graph).build();
    }

    private static TensorProto perChannel(String name, double[] values, int channels) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .addAllDims(Arrays.asList(1L, (long) channels, 1L, 1L));
        for (int c = 0; c < channels; c++) {
            t.addFloatData((float) values[values.length == 1 ? 0 : c]);
        }
        return t.build();
    }
}
