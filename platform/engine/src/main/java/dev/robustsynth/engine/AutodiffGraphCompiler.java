package dev.robustsynth.engine;

import dev.robustsynth.engine.model.CompiledGraphs;
import dev.robustsynth.engine.model.GraphCompiler;
import java.util.List;

/** The engine's default {@link GraphCompiler}: platform/autodiff. */
final class AutodiffGraphCompiler implements GraphCompiler {

    @Override
    public String version() {
        return "autodiff-pending";
    }

    @Override
    public CompiledGraphs compile(byte[] forwardModel, List<String> layers) {
        throw new UnsupportedOperationException("platform/autodiff offers no compile API yet");
    }
}
