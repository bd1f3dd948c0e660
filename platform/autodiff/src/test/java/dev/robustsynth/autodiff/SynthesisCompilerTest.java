package dev.robustsynth.autodiff;

import static dev.robustsynth.autodiff.emit.Attrs.i;
import static dev.robustsynth.autodiff.emit.Attrs.ints;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.robustsynth.autodiff.OrtRunner.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The compiler's API behaviour: errors, layer listing, options, the shape of the emitted graphs. */
class SynthesisCompilerTest {

  /** x [N,2,4,4] → Conv → Relu → (op under test) → GlobalAveragePool → Flatten → logits [N,3]. */
  private static ModelProto convNet(String middleOp) {
    TinyModel m = new TinyModel(17, 1);
    m.input("image", 2, 4, 4).output("out", 3);
    String c = m.node("Conv", List.of("image", m.weight("w", 0.5, 3, 2, 3, 3)), "conv", ints("pads", 1, 1, 1, 1));
    String r = m.node("Relu", List.of(c), "act");
    String mid = m.node(middleOp, List.of(r), "mid");
    String g = m.node("GlobalAveragePool", List.of(mid), "pool");
    m.node("Flatten", List.of(g), "out", i("axis", 1));
    return m.build();
  }

  @Test
  void unsupportedOperatorErrorNamesNodeOpTypeAndSupportedList() {
    CompileException e = assertThrows(CompileException.class,
        () -> SynthesisCompiler.compile(convNet("Erf"), CompileOptions.defaults()));
    String msg = e.getMessage();
    assertTrue(msg.contains("'Erf_2'"), msg);
    assertTrue(msg.contains("(Erf)"), msg);
    assertTrue(msg.contains("unsupported operator"), msg);
    for (String op : List.of("Conv", "MaxPool", "BatchNormalization", "Gemm", "Softmax", "Constant")) {
      assertTrue(msg.contains(op), "supported list lacks " + op + ": " + msg);
    }
  }

  @Test
  void operatorsOfOtherDomainsAreRejectedByName() {
    ModelProto m = convNet("Relu");
    var g = m.getGraph().toBuilder();
    g.setNode(2, g.getNode(2).toBuilder().setDomain("com.microsoft").setOpType("FusedGelu"));
    CompileException e = assertThrows(CompileException.class,
        () -> SynthesisCompiler.compile(m.toBuilder().setGraph(g).build(), CompileOptions.defaults()));
    assertTrue(e.getMessage().contains("FusedGelu") && e.getMessage().contains("com.microsoft"), e.getMessage());
  }

  @Test
  void unsupportedOperatorsOutsideTheNeededGraphAreIgnored() throws Exception {
    TinyModel m = new TinyModel(17, 1);
    m.input("image", 1, 2, 2).output("out", 4);
    m.node("Erf", List.of("image"), "unused");
    m.node("Flatten", List.of("image"), "out", i("axis", 1));
    CompiledModel c = SynthesisCompiler.compile(m.build(), CompileOptions.defaults());
    assertTrue(c.synthesis().getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("Erf")));
  }

  @Test
  void layersListsActivationsWithPerExampleShapesButNotInputOrLogits() throws Exception {
    List<LayerInfo> layers = SynthesisCompiler.layers(convNet("Sigmoid"));
    Map<String, LayerInfo> byName = layers.stream().collect(Collectors.toMap(LayerInfo::name, l -> l));
    assertEquals(List.of("conv", "act", "mid", "pool"), layers.stream().map(LayerInfo::name).toList());
    assertEquals(List.of(3L, 4L, 4L), byName.get("conv").shape());
    assertEquals("Relu", byName.get("act").op());
    assertEquals(List.of(3L, 1L, 1L), byName.get("pool").shape());
  }

  @Test
  void exposingAnUnknownOrConstantTensorIsAClearError() {
    CompileException unknown = assertThrows(CompileException.class, () -> SynthesisCompiler.compile(
        convNet("Relu"), CompileOptions.defaults().withExpose(List.of("nope"))));
    assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
    CompileException weight = assertThrows(CompileException.class, () -> SynthesisCompiler.compile(
        convNet("Relu"), CompileOptions.defaults().withExpose(List.of("w"))));
    assertTrue(weight.getMessage().contains("cannot expose 'w'"), weight.getMessage());
    CompileException logits = assertThrows(CompileException.class, () -> SynthesisCompiler.compile(
        convNet("Relu"), CompileOptions.defaults().withExpose(List.of("out"))));
    assertTrue(logits.getMessage().contains("cannot expose 'out'"), logits.getMessage());
  }

  @Test
  void signatureDescribesTheContract() throws Exception {
    CompiledModel c = SynthesisCompiler.compile(convNet("Relu"), CompileOptions.defaults().withExpose(List.of("act")));
    ModelSignature s = c.signature();
    assertEquals(List.of(2, 4, 4, 3), List.of(s.channels(), s.height(), s.width(), s.classes()));
    assertEquals(List.of(new LayerInfo("act", "Relu", List.of(3L, 4L, 4L))), s.exposed());
    assertEquals(SynthesisCompiler.COMPILER_VERSION, s.compilerVersion());
    assertEquals(17, s.opset());
    var g = c.synthesis().getGraph();
    assertEquals(List.of("x", "target", "w_ce", "w_logit", "w_act"),
        g.getInputList().stream().map(v -> v.getName()).toList());
    assertEquals(List.of("logits", "act", "loss", "grad_x"), g.getOutputList().stream().map(v -> v.getName()).toList());
    assertEquals(List.of("logits", "act"), c.forward().getGraph().getOutputList().stream().map(v -> v.getName()).toList());
    assertEquals("N", g.getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam());
  }

  @Test
  void emittedGraphsUseOnlyDefaultDomainOperatorsAtTheTargetOpset() throws Exception {
    ModelProto src = TorchReferenceTest.load("small_cnn");
    CompiledModel c = SynthesisCompiler.compile(src, CompileOptions.defaults());
    for (ModelProto m : List.of(c.synthesis(), c.forward())) {
      assertEquals(1, m.getOpsetImportCount());
      assertEquals("", m.getOpsetImport(0).getDomain());
      assertEquals(17, m.getOpsetImport(0).getVersion());
      assertTrue(m.getGraph().getNodeList().stream().allMatch(n -> n.getDomain().isEmpty()));
    }
  }

  @Test
  void forwardGraphHasNoBackwardOperatorsAndNoShapePlumbing() throws Exception {
    CompiledModel c = SynthesisCompiler.compile(TorchReferenceTest.load("small_cnn"), CompileOptions.defaults());
    Set<String> ops = c.forward().getGraph().getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toSet());
    assertEquals(Set.of("Conv", "Relu", "MaxPool", "Reshape", "Gemm"), ops);
    assertTrue(c.forward().getGraph().getNodeList().stream().allMatch(n -> n.getOutputCount() == 1));
  }

  @Test
  void everyForwardGraphWeightIsSharedWithTheSynthesisGraph() throws Exception {
    ModelProto src = TorchReferenceTest.load("cifar_resnet");
    CompiledModel c = SynthesisCompiler.compile(src, CompileOptions.defaults());
    List<String> shared = c.sharedInitializers();
    for (TensorProto t : c.forward().getGraph().getInitializerList()) {
      assertTrue(shared.contains(t.getName()), "weight not shared: " + t.getName());
    }
    var sourceNames = src.getGraph().getInitializerList().stream().map(TensorProto::getName).toList();
    assertTrue(shared.stream().anyMatch(sourceNames::contains), "source weights kept under their names");
  }

  @Test
  void batchNormIsFoldedIntoTheConvThatFeedsIt() throws Exception {
    CompiledModel c = SynthesisCompiler.compile(TorchReferenceTest.load("cifar_resnet"), CompileOptions.defaults());
    for (ModelProto m : List.of(c.forward(), c.synthesis())) {
      assertTrue(m.getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("BatchNormalization")));
    }
    String exposedConv = "/stem/Conv_output_0";
    CompiledModel keep = SynthesisCompiler.compile(TorchReferenceTest.load("cifar_resnet"),
        CompileOptions.defaults().withExpose(List.of(exposedConv)));
    assertEquals(1, keep.forward().getGraph().getNodeList().stream()
        .filter(n -> n.getOpType().equals("BatchNormalization")).count(), "an exposed conv output stays unfused");
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 18})
  void otherTargetOpsetsGiveTheSameGradient(int opset) throws Exception {
    Map<String, Tensor> ref = TorchReferenceTest.reference("misc_net");
    ModelProto src = TorchReferenceTest.load("misc_net");
    Map<String, Tensor> in = new HashMap<>();
    for (String k : List.of("x", "target", "w_ce", "w_logit")) {
      in.put(k, ref.get(k));
    }
    float[] base;
    float[] other;
    try (OrtRunner o = new OrtRunner(SynthesisCompiler.compile(src, CompileOptions.defaults()).synthesis())) {
      base = o.run(in, Set.of("grad_x")).get("grad_x").data();
    }
    CompiledModel c = SynthesisCompiler.compile(src, CompileOptions.defaults().withOpset(opset));
    assertEquals(opset, c.synthesis().getOpsetImport(0).getVersion());
    try (OrtRunner o = new OrtRunner(c.synthesis())) {
      other = o.run(in, Set.of("grad_x")).get("grad_x").data();
    }
    assertArrayEquals(base, other, 1e-6f);
  }

  @Test
  void cudaTargetAvoidsMaxUnpoolAndGivesTheSameGradient() throws Exception {
    Map<String, Tensor> ref = TorchReferenceTest.reference("small_cnn");
    ModelProto src = TorchReferenceTest.load("small_cnn");
    CompiledModel cpu = SynthesisCompiler.compile(src, CompileOptions.defaults());
    CompiledModel cuda = SynthesisCompiler.compile(src, CompileOptions.defaults().withTarget(ExecutionTarget.CUDA));
    assertTrue(cpu.synthesis().getGraph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("MaxUnpool")));
    assertTrue(cuda.synthesis().getGraph().getNodeList().stream().noneMatch(n -> n.getOpType().equals("MaxUnpool")));
    Map<String, Tensor> in = new HashMap<>();
    for (String k : List.of("x", "target", "w_ce", "w_logit")) {
      in.put(k, ref.get(k));
    }
    float[] a;
    float[] b;
    try (OrtRunner o = new OrtRunner(cpu.synthesis())) {
      a = o.run(in, Set.of("grad_x")).get("grad_x").data();
    }
    try (OrtRunner o = new OrtRunner(cuda.synthesis())) {
      b = o.run(in, Set.of("grad_x")).get("grad_x").data();
    }
    assertArrayEquals(a, b, 1e-7f);
  }

  @Test
  void sessionsCanShareOneCopyOfTheWeightsThroughAddInitializer() throws Exception {
    Map<String, Tensor> ref = TorchReferenceTest.reference("cifar_resnet");
    CompiledModel c = SynthesisCompiler.compile(TorchReferenceTest.load("cifar_resnet"), CompileOptions.defaults());
    var env = ai.onnxruntime.OrtEnvironment.getEnvironment();
    Map<String, ai.onnxruntime.OnnxTensor> shared = new HashMap<>();
    try {
      for (TensorProto t : c.forward().getGraph().getInitializerList()) {
        shared.put(t.getName(), SharedWeights.tensor(env, t));
      }
      float[] viaShared;
      float[] plain;
      try (var so = new ai.onnxruntime.OrtSession.SessionOptions()) {
        so.setIntraOpNumThreads(1);
        for (var e : shared.entrySet()) {
          so.addInitializer(e.getKey(), e.getValue());
        }
        try (var fwd = env.createSession(c.forward().toByteArray(), so);
            var syn = env.createSession(c.synthesis().toByteArray(), so);
            var x = ai.onnxruntime.OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(ref.get("x").data()),
                ref.get("x").shape());
            var r = fwd.run(Map.of("x", x))) {
          viaShared = ((ai.onnxruntime.OnnxTensor) r.get(0)).getFloatBuffer().array();
          assertTrue(syn.getInputNames().contains("w_ce"));
        }
      }
      try (OrtRunner o = new OrtRunner(c.forward())) {
        plain = o.run(Map.of("x", ref.get("x"))).get("logits").data();
      }
      assertArrayEquals(plain, viaShared, 0f);
    } finally {
      shared.values().forEach(ai.onnxruntime.OnnxTensor::close);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"CPU", "CUDA"})
  void maxPoolTiesSendTheGradientToTheFirstPositionLikePyTorch(String target) throws Exception {
    TinyModel m = new TinyModel(17, 1);
    m.input("image", 1, 3, 3).output("out", 4);
    m.node("MaxPool", List.of("image"), "pooled", ints("kernel_shape", 2, 2), ints("strides", 1, 1));
    m.node("Flatten", List.of("pooled"), "out", i("axis", 1));
    CompiledModel c = SynthesisCompiler.compile(m.build(),
        CompileOptions.defaults().withTarget(ExecutionTarget.valueOf(target)));
    float[] x = {1, 1, 0, 1, 1, 0, 0, 0, 0};
    Map<String, Tensor> in = Map.of("x", new Tensor(x, new long[] {1, 1, 3, 3}),
        "target", new Tensor(new float[4], new long[] {1, 4}), "w_ce", new Tensor(new float[1], new long[] {1}),
        "w_logit", new Tensor(new float[] {-1, -10, -100, -1000}, new long[] {1, 4}));
    float[] g;
    try (OrtRunner o = new OrtRunner(c.synthesis())) {
      g = o.run(in, Set.of("grad_x")).get("grad_x").data();
    }
    // windows: (0,0) all ones → position 0; (0,1) {1,0,1,0} → position 1; (1,0) {1,1,0,0} → position 3;
    // (1,1) {1,0,0,0} → position 4
    assertArrayEquals(new float[] {1, 10, 0, 100, 1000, 0, 0, 0, 0}, g, 0f);
  }

  @Test
  void reshapeThatMergesTheBatchIsRefusedWithTheNodeName() {
    TinyModel m = new TinyModel(17, 1);
    m.input("image", 1, 2, 2).output("out", 4);
    m.node("Reshape", List.of("image", m.ints("flat", -1)), "bad");
    m.node("Reshape", List.of("bad", m.ints("back", 1, 4)), "out");
    CompileException e = assertThrows(CompileException.class,
        () -> SynthesisCompiler.compile(m.build(), CompileOptions.defaults()));
    assertTrue(e.getMessage().contains("(Reshape)") && e.getMessage().contains("batch"), e.getMessage());
  }

  @Test
  void modelWithoutImageInputOrWithTwoOutputsIsRefused() {
    TinyModel m = new TinyModel(17, 1);
    m.input("image", 1, 2, 2).output("out", 4).output("other", 4);
    m.node("Flatten", List.of("image"), "out");
    m.node("Flatten", List.of("image"), "other");
    CompileException e = assertThrows(CompileException.class,
        () -> SynthesisCompiler.compile(m.build(), CompileOptions.defaults()));
    assertTrue(e.getMessage().contains("exactly one logits output"), e.getMessage());
  }

  @Test
  void optionsRejectOpsetsWithoutScatterAdd() {
    assertThrows(IllegalArgumentException.class, () -> CompileOptions.defaults().withOpset(13));
    assertFalse(SynthesisCompiler.supportedOperators().isEmpty());
  }
}
