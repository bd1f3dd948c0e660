package dev.robustsynth.bench;

import ai.djl.ndarray.types.DataType;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.CompileOptions;
import dev.robustsynth.autodiff.CompiledModel;
import dev.robustsynth.autodiff.SynthesisCompiler;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;

/**
 * Explains a disagreement between the ORT gradient and DJL's: both against libtorch in float64,
 * per example, and the number of Relu units whose on/off state differs between ORT's float32
 * forward and the float64 one. A deep ReLU net has pre-activations within float32 rounding of 0;
 * where one flips, the (correct) gradients of the two slightly different functions differ there.
 */
final class Agreement {
  /** The benchmark batch. */
  record Inputs(float[] x, float[] target, float[] wCe, float[] wLogit, int batch) {}

  private Agreement() {}

  static void explain(Net net, ModelProto plain, OrtSession.SessionOptions so, Inputs in, float[] ortGrad)
      throws OrtException, CompileException {
    int pixels = net.channels * net.size * net.size;
    try (DjlNet exact = new DjlNet(net, DataType.FLOAT64)) {
      float[] ref = exact.step(in.x(), in.target(), in.wCe(), in.wLogit(), in.batch());
      StringBuilder per = new StringBuilder();
      for (int n = 0; n < in.batch(); n++) {
        per.append(String.format(" %.1e", GradientBench.relError(Arrays.copyOfRange(ortGrad, n * pixels,
            (n + 1) * pixels), Arrays.copyOfRange(ref, n * pixels, (n + 1) * pixels))));
      }
      System.out.printf("ORT grad_x against libtorch float64: max rel %.2e, L2 rel %.2e; per example:%s%n",
          GradientBench.relError(ortGrad, ref), GradientBench.l2Error(ortGrad, ref), per);
      Map<String, double[]> relus = exact.reluOutputs(in.x(), in.batch());
      CompiledModel probe = SynthesisCompiler.compile(plain,
          CompileOptions.defaults().withExpose(new ArrayList<>(relus.keySet())));
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession fs = env.createSession(probe.forward().toByteArray(), so);
          OnnxTensor tx = OnnxTensor.createTensor(env, FloatBuffer.wrap(in.x()),
              new long[] {in.batch(), net.channels, net.size, net.size});
          OrtSession.Result res = fs.run(Map.of("x", tx))) {
        int[] flips = new int[in.batch()];
        for (var e : relus.entrySet()) {
          float[] o = ((OnnxTensor) res.get(e.getKey()).orElseThrow()).getFloatBuffer().array();
          int units = o.length / in.batch();
          for (int i = 0; i < o.length; i++) {
            if ((o[i] > 0) != (e.getValue()[i] > 0)) {
              flips[i / units]++;
            }
          }
        }
        System.out.println("Relu units on in ORT float32 and off in libtorch float64 (or the reverse), per example: "
            + Arrays.toString(flips));
      }
    }
  }
}
