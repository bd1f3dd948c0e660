package dev.robustsynth.autodiff.cli;

import dev.robustsynth.autodiff.LayerInfo;
import dev.robustsynth.autodiff.ModelSignature;
import java.util.List;

/** The layout of {@code signature.json}, as Jackson writes and reads it. */
record SignatureFile(String compilerVersion, int opset, Input input, int classes, List<LayerInfo> exposed) {
  record Input(int channels, int height, int width) {}

  static SignatureFile of(ModelSignature s) {
    return new SignatureFile(s.compilerVersion(), s.opset(), new Input(s.channels(), s.height(), s.width()),
        s.classes(), s.exposed());
  }

  ModelSignature signature() {
    return new ModelSignature(input.channels(), input.height(), input.width(), classes, exposed, opset,
        compilerVersion);
  }
}
