package dev.robustsynth.autodiff.emit;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;

/** Short constructors for node attributes. */
public final class Attrs {
  private Attrs() {}

  public static AttributeProto i(String name, long v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.INT).setI(v).build();
  }

  public static AttributeProto f(String name, double v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.FLOAT).setF((float) v).build();
  }

  public static AttributeProto s(String name, String v) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(v)).build();
  }

  public static AttributeProto tensor(String name, TensorProto t) {
    return AttributeProto.newBuilder().setName(name).setType(AttributeType.TENSOR).setT(t).build();
  }

  public static AttributeProto ints(String name, long... v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
    for (long x : v) {
      a.addInts(x);
    }
    return a.build();
  }
}
