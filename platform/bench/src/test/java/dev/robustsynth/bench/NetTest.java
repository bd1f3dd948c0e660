package dev.robustsynth.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustsynth.autodiff.CompileOptions;
import dev.robustsynth.autodiff.CompiledModel;
import dev.robustsynth.autodiff.SynthesisCompiler;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetTest {
  @Test
  void everyBenchmarkNetworkCompilesWithItsExpectedSignature() throws Exception {
    for (Net n : List.of(Net.resnet18(1), Net.resnet9(16, 1), Net.resnet18MaxPoolStem(1))) {
      CompiledModel c = SynthesisCompiler.compile(OnnxWriter.write(n), CompileOptions.defaults());
      assertEquals(List.of(3, n.size, n.size, 10), List.of(c.signature().channels(), c.signature().height(),
          c.signature().width(), c.signature().classes()), n.name);
    }
  }

  @Test
  void resnet18HasTheUsualParameterCount() {
    long params = Net.resnet18(1).parameterCount();
    assertEquals(11_173_962L + 9_600L, params, "ResNet-18 CIFAR weights plus BN running statistics");
  }
}
