package dev.robustsynth.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.ModelProto;
import dev.robustsynth.autodiff.OrtRunner.Tensor;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Models exported by PyTorch (src/test/python/make_fixtures.py, fixed seeds) compiled and run in
 * ORT against torch's own logits, per-example losses and autograd input gradients, with an exposed
 * activation weighted in the loss. Relative error is max|ours − torch| / max|torch|.
 */
class TorchReferenceTest {
  private static final double GRAD_TOL = 1e-4;
  private static final double VALUE_TOL = 1e-5;
  private static final Map<String, double[]> ERRORS = new java.util.TreeMap<>();

  static ModelProto load(String name) throws Exception {
    try (InputStream in = TorchReferenceTest.class.getResourceAsStream("/fixtures/" + name + ".onnx")) {
      return ModelProto.parseFrom(in);
    }
  }

  static Map<String, Tensor> reference(String name) throws Exception {
    try (InputStream in = TorchReferenceTest.class.getResourceAsStream("/fixtures/" + name + ".bin")) {
      return TensorFile.read(in);
    }
  }

  static double relError(float[] ours, float[] torch) {
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < torch.length; i++) {
      diff = Math.max(diff, Math.abs((double) ours[i] - torch[i]));
      scale = Math.max(scale, Math.abs(torch[i]));
    }
    return diff / Math.max(scale, 1e-30);
  }

  @ParameterizedTest
  @ValueSource(strings = {"small_cnn", "cifar_resnet", "maxpool_net", "depthwise_net", "concat_net",
      "leaky_avg_net", "misc_net", "googlenet_stem3a", "ceil_pool_concat"})
  void synthesisGraphMatchesTorchAutograd(String name) throws Exception {
    Map<String, Tensor> ref = reference(name);
    CompiledModel m = SynthesisCompiler.compile(load(name), CompileOptions.defaults().withExpose(List.of("feat")));
    Map<String, Tensor> in = new HashMap<>();
    for (String k : List.of("x", "target", "w_ce", "w_logit", "w_feat")) {
      in.put(k, ref.get(k));
    }
    Map<String, Tensor> out;
    try (OrtRunner ort = new OrtRunner(m.synthesis())) {
      out = ort.run(in);
    }
    for (String k : List.of("logits", "loss", "grad_x", "feat")) {
      assertArrayEquals(ref.get(k).shape(), out.get(k).shape(), name + " " + k + " shape");
    }
    double logits = relError(out.get("logits").data(), ref.get("logits").data());
    double loss = relError(out.get("loss").data(), ref.get("loss").data());
    double grad = relError(out.get("grad_x").data(), ref.get("grad_x").data());
    double feat = relError(out.get("feat").data(), ref.get("feat").data());
    synchronized (ERRORS) {
      ERRORS.put(name, new double[] {logits, loss, grad, feat});
    }
    assertTrue(logits <= VALUE_TOL, name + " logits error " + logits);
    assertTrue(loss <= VALUE_TOL, name + " loss error " + loss);
    assertTrue(feat <= VALUE_TOL, name + " exposed activation error " + feat);
    assertTrue(grad <= GRAD_TOL, name + " grad_x error " + grad);
  }

  @ParameterizedTest
  @ValueSource(strings = {"small_cnn", "cifar_resnet", "maxpool_net", "depthwise_net", "concat_net",
      "leaky_avg_net", "misc_net", "googlenet_stem3a", "ceil_pool_concat"})
  void forwardGraphLogitsEqualSynthesisGraphLogits(String name) throws Exception {
    Map<String, Tensor> ref = reference(name);
    CompiledModel m = SynthesisCompiler.compile(load(name), CompileOptions.defaults().withExpose(List.of("feat")));
    Map<String, Tensor> fwd;
    try (OrtRunner ort = new OrtRunner(m.forward())) {
      fwd = ort.run(Map.of("x", ref.get("x")));
    }
    Map<String, Tensor> syn;
    Map<String, Tensor> in = new HashMap<>();
    for (String k : List.of("x", "target", "w_ce", "w_logit", "w_feat")) {
      in.put(k, ref.get(k));
    }
    try (OrtRunner ort = new OrtRunner(m.synthesis())) {
      syn = ort.run(in, Set.of("logits", "feat"));
    }
    assertTrue(Set.of("logits", "feat").equals(fwd.keySet()), "forward outputs " + fwd.keySet());
    assertArrayEquals(syn.get("logits").data(), fwd.get("logits").data(), 1e-6f, name + " logits");
    assertArrayEquals(syn.get("feat").data(), fwd.get("feat").data(), 1e-6f, name + " feat");
    assertTrue(relError(fwd.get("logits").data(), ref.get("logits").data()) <= VALUE_TOL, name + " vs torch");
  }

  @AfterAll
  static void report() {
    ERRORS.forEach((k, v) -> System.out.printf("TorchReferenceTest %-14s logits %.2e loss %.2e grad_x %.2e feat %.2e%n",
        k, v[0], v[1], v[2], v[3]));
  }
}
