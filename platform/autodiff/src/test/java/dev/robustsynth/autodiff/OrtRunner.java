package dev.robustsynth.autodiff;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Runs a model in a real ONNX Runtime CPU session (one thread) with float inputs. Test helper. */
final class OrtRunner implements AutoCloseable {
  /** A float tensor: data in row-major order and its shape. */
  record Tensor(float[] data, long[] shape) {}

  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private final OrtSession session;

  OrtRunner(ModelProto model) throws OrtException {
    try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
      o.setIntraOpNumThreads(1);
      o.setInterOpNumThreads(1);
      session = ENV.createSession(model.toByteArray(), o);
    }
  }

  /** Runs with the given inputs and returns the requested outputs (all when {@code outputs} is empty). */
  Map<String, Tensor> run(Map<String, Tensor> inputs, Set<String> outputs) throws OrtException {
    Map<String, OnnxTensor> in = new HashMap<>();
    try {
      for (var e : inputs.entrySet()) {
        in.put(e.getKey(), OnnxTensor.createTensor(ENV, FloatBuffer.wrap(e.getValue().data()), e.getValue().shape()));
      }
      try (OrtSession.Result r = outputs.isEmpty() ? session.run(in) : session.run(in, outputs)) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (var e : r) {
          OnnxTensor t = (OnnxTensor) e.getValue();
          FloatBuffer fb = t.getFloatBuffer();
          float[] d = new float[fb.remaining()];
          fb.get(d);
          out.put(e.getKey(), new Tensor(d, t.getInfo().getShape()));
        }
        return out;
      }
    } finally {
      in.values().forEach(OnnxTensor::close);
    }
  }

  Map<String, Tensor> run(Map<String, Tensor> inputs) throws OrtException {
    return run(inputs, Set.of());
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
