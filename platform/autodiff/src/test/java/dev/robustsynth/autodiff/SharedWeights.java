package dev.robustsynth.autodiff;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import dev.robustsynth.autodiff.graph.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Turns an initializer into an ORT tensor on a direct buffer, as an engine sharing weights would. Test helper. */
final class SharedWeights {
  private SharedWeights() {}

  static OnnxTensor tensor(OrtEnvironment env, TensorProto t) throws OrtException {
    long[] dims = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    if (t.getDataType() == Tensors.FLOAT) {
      double[] v = Tensors.reals(t);
      ByteBuffer b = ByteBuffer.allocateDirect(4 * v.length).order(ByteOrder.nativeOrder());
      for (double d : v) {
        b.putFloat((float) d);
      }
      b.rewind();
      return OnnxTensor.createTensor(env, b, dims, OnnxJavaType.FLOAT);
    }
    long[] v = Tensors.longs(t);
    ByteBuffer b = ByteBuffer.allocateDirect(8 * v.length).order(ByteOrder.nativeOrder());
    for (long d : v) {
      b.putLong(d);
    }
    b.rewind();
    return OnnxTensor.createTensor(env, b, dims, OnnxJavaType.INT64);
  }
}
