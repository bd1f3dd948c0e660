package dev.robustsynth.engine;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.CompileOptions;
import dev.robustsynth.autodiff.CompiledModel;
import dev.robustsynth.autodiff.LayerInfo;
import dev.robustsynth.autodiff.SynthesisCompiler;
import dev.robustsynth.engine.model.CompiledGraphs;
import dev.robustsynth.engine.model.GraphCompiler;
import dev.robustsynth.engine.model.ModelLoadException;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The engine's default {@link GraphCompiler}: platform/autodiff's {@link SynthesisCompiler}, opset 17. Layers the
 * compiler cannot expose are dropped with a warning rather than refusing the whole model.
 */
final class AutodiffGraphCompiler implements GraphCompiler {
    private static final Logger LOG = Logger.getLogger(AutodiffGraphCompiler.class.getName());

    @Override
    public String version() {
        return "autodiff-" + SynthesisCompiler.COMPILER_VERSION + "-opset" + CompileOptions.DEFAULT_OPSET;
    }

    /**
     * Multiple of the per-example size of all the classifier's float activations taken as one batch item's working
     * set. Measured on ImageNet ResNet-18 at 224×224 (ORT 1.29, CPU, platform/bench {@code -Dbench.memory=ort} at
     * batch 1 and 9): the peak resident set grows by 32.0 MiB per item against 31.4 MiB of activations (1.02×);
     * 1.5 leaves headroom for other graphs and allocator slack.
     */
    static final double WORKING_SET_FACTOR = 1.5;

    @Override
    public java.util.OptionalLong bytesPerItem(byte[] forwardModel) {
        try {
            long elements = 0;
            for (LayerInfo layer : SynthesisCompiler.layers(ModelProto.parseFrom(forwardModel))) {
                elements += layer.size();
            }
            return java.util.OptionalLong.of((long) (elements * 4 * WORKING_SET_FACTOR));
        } catch (InvalidProtocolBufferException | CompileException | RuntimeException e) {
            return java.util.OptionalLong.empty();
        }
    }

    @Override
    public CompiledGraphs compile(byte[] forwardModel, List<String> layers) throws ModelLoadException {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(forwardModel);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException("not an ONNX model: " + e.getMessage(), e);
        }
        try {
            Set<String> exposable = SynthesisCompiler.layers(model).stream().map(LayerInfo::name)
                    .collect(Collectors.toSet());
            List<String> exposed = layers.stream().filter(exposable::contains).toList();
            if (exposed.size() < layers.size()) {
                LOG.warning("layers " + layers.stream().filter(l -> !exposable.contains(l)).toList() + " cannot be"
                        + " exposed (not float activations [N,…] computed from the input); serving the model without"
                        + " them");
            }
            CompiledModel compiled = SynthesisCompiler.compile(model, CompileOptions.defaults().withExpose(exposed));
            return new CompiledGraphs(compiled.synthesis().toByteArray(), compiled.forward().toByteArray(), exposed);
        } catch (CompileException e) {
            throw new ModelLoadException("the gradient compiler refused the model: " + e.getMessage(), e);
        }
    }
}
