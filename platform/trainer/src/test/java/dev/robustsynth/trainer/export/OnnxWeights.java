package dev.robustsynth.trainer.export;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.robustsynth.trainer.model.ArchitectureSpec;
import dev.robustsynth.trainer.model.ConvBn;
import dev.robustsynth.trainer.model.Network;
import dev.robustsynth.trainer.model.StageBlocks;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rebuilds a DJL {@link Network} from a model directory written by {@link OnnxExporter} ({@code model.json} for the
 * architecture, {@code model.onnx} initializers for the weights). The exporter folded each batch norm into its
 * convolution (W' = W·s, b' = β − μ·s), so the rebuilt batch norms are set to the identity on top of the folded
 * weights: γ = 1, μ = 0, σ² = 1 − ε (so σ² + ε = 1), β = the folded conv bias (the DJL convs have no bias).
 */
final class OnnxWeights {

    private OnnxWeights() {
    }

    /** The architecture of a shipped model: {@code "architecture"} is {@link ArchitectureSpec#description()}. */
    static ArchitectureSpec spec(Path modelJson, Map<String, float[]> init) throws IOException {
        JsonNode card = new ObjectMapper().readTree(Files.readAllBytes(modelJson));
        String[] words = card.get("architecture").asText().trim().split("\\s+");
        String family = words[0];
        int width = 0;
        int hidden = 0;
        for (int i = 1; i + 1 < words.length; i += 2) {
            switch (words[i]) {
                case "width" -> width = Integer.parseInt(words[i + 1]);
                case "hidden" -> hidden = Integer.parseInt(words[i + 1]);
                default -> throw new IOException("unexpected architecture word '" + words[i] + "' in " + modelJson);
            }
        }
        JsonNode in = card.get("input");
        int c = in.get("channels").asInt();
        int h = in.get("height").asInt();
        int w = in.get("width").asInt();
        int k = card.get("classes").size();
        // the graph's own normalisation constants (model.json rounds nothing, but the graph is what ORT runs)
        float[] mean = init.get("norm_mean");
        float[] std = init.get("norm_std");
        return switch (family) {
            case "resnet9" -> ArchitectureSpec.resnet9(width, c, h, w, k, mean, std);
            case "smallcnn" -> ArchitectureSpec.smallCnn(width, c, h, w, k, mean, std);
            case "smallcnn-fc" -> ArchitectureSpec.smallCnnFc(width, hidden, c, h, w, k, mean, std);
            default -> throw new IOException("unknown architecture '" + family + "' in " + modelJson);
        };
    }

    /** Float initializers by name. */
    static Map<String, float[]> initializers(ModelProto model) {
        Map<String, float[]> out = new HashMap<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getDataType() != TensorProto.DataType.FLOAT.getNumber()) {
                continue;
            }
            float[] v;
            if (!t.getRawData().isEmpty()) {
                var fb = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                v = new float[fb.remaining()];
                fb.get(v);
            } else {
                v = new float[t.getFloatDataCount()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = t.getFloatData(i);
                }
            }
            out.put(t.getName(), v);
        }
        return out;
    }

    /** A network of the model directory's architecture holding the exported (BN-folded) weights. */
    static Network load(Path modelDir, NDManager manager) throws IOException {
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(modelDir.resolve("model.onnx")));
        return load(model, spec(modelDir.resolve("model.json"), initializers(model)), manager);
    }

    /** A network of architecture {@code spec} holding the weights of an {@link OnnxExporter} graph. */
    static Network load(ModelProto model, ArchitectureSpec spec, NDManager manager) throws IOException {
        Map<String, float[]> init = initializers(model);
        Network net = Network.create(spec, manager);
        Set<String> used = new HashSet<>(Set.of("norm_mean", "norm_std"));
        for (StageBlocks sb : net.stages()) {
            String name = sb.spec().name();
            setConv(sb.main(), name + "_conv", init, used);
            List<ConvBn> res = sb.residual();
            for (int i = 0; i < res.size(); i++) {
                setConv(res.get(i), name + "_res" + (i + 1) + "_conv", init, used);
            }
        }
        if (net.hidden().isPresent()) {
            set(net.hidden().get().getParameters().get("weight"), "hidden_weight", init, used);
            set(net.hidden().get().getParameters().get("bias"), "hidden_bias", init, used);
        }
        set(net.head().getParameters().get("weight"), "head_weight", init, used);
        set(net.head().getParameters().get("bias"), "head_bias", init, used);
        Set<String> left = new HashSet<>(init.keySet());
        left.removeAll(used);
        if (!left.isEmpty()) {
            throw new IOException(model.getGraph().getName() + ": initializers not mapped onto the network: " + left);
        }
        return net;
    }

    private static void setConv(ConvBn cb, String prefix, Map<String, float[]> init, Set<String> used)
            throws IOException {
        set(cb.conv().getParameters().get("weight"), prefix + "_weight", init, used);
        int out = (int) cb.conv().getParameters().get("weight").getArray().getShape().get(0);
        float[] ones = new float[out];
        Arrays.fill(ones, 1f);
        float[] var = new float[out];
        Arrays.fill(var, 1f - Network.BN_EPSILON);
        cb.bn().getParameters().get("gamma").getArray().set(ones);
        cb.bn().getParameters().get("runningMean").getArray().set(new float[out]);
        cb.bn().getParameters().get("runningVar").getArray().set(var);
        set(cb.bn().getParameters().get("beta"), prefix + "_bias", init, used);
    }

    private static void set(Parameter p, String name, Map<String, float[]> init, Set<String> used) throws IOException {
        float[] v = init.get(name);
        if (v == null) {
            throw new IOException("initializer '" + name + "' missing");
        }
        if (v.length != p.getArray().size()) {
            throw new IOException("initializer '" + name + "' has " + v.length + " values, parameter "
                    + p.getArray().getShape());
        }
        p.getArray().set(v);
        used.add(name);
    }
}
