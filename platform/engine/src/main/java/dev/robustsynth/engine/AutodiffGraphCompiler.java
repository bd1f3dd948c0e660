package dev.robustsynth.engine;

import ai.onnx.proto.OnnxMl.ModelProto;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.CompileOptions;
import dev.robustsynth.autodiff.CompiledModel;
import dev.robustsynth.autodiff.SynthesisCompiler;
import dev.robustsynth.engine.model.CompiledGraphs;
import dev.robustsynth.engine.model.GraphCompiler;
import dev.robustsynth.engine.model.ModelLoadException;
import java.util.List;

/** The engine's default {@link GraphCompiler}: platform/autodiff's {@link SynthesisCompiler}, opset 17. */
final class AutodiffGraphCompiler implements GraphCompiler {

    @Override
    public String version() {
        return "autodiff-" + SynthesisCompiler.COMPILER_VERSION + "-opset" + CompileOptions.DEFAULT_OPSET;
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
            CompiledModel compiled = SynthesisCompiler.compile(model, CompileOptions.defaults().withExpose(layers));
            return new CompiledGraphs(compiled.synthesis().toByteArray(), compiled.forward().toByteArray());
        } catch (CompileException e) {
            throw new ModelLoadException("the gradient compiler refused the model: " + e.getMessage(), e);
        }
    }
}
