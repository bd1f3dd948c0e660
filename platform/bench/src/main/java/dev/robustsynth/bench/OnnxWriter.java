package dev.robustsynth.bench;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Writes a {@link Net} as a plain forward ONNX classifier (opset 17, input x, output logits). */
final class OnnxWriter {
  private OnnxWriter() {}

  static ModelProto write(Net net) {
    GraphProto.Builder g = GraphProto.newBuilder().setName(net.name);
    g.addInput(info("x", 1, net.channels, net.size, net.size));
    g.addOutput(info("logits", -1, net.classes));
    net.params.forEach((name, p) -> g.addInitializer(tensor(name, p)));
    int k = 0;
    for (Layer l : net.layers) {
      String n = "n" + k++;
      switch (l) {
        case Layer.Conv c -> g.addNode(node("Conv", n, List.of(c.in(), c.weight()), c.out(),
            ints("kernel_shape", c.kernel(), c.kernel()), ints("strides", c.stride(), c.stride()),
            ints("pads", c.pad(), c.pad(), c.pad(), c.pad())));
        case Layer.Bn b -> g.addNode(node("BatchNormalization", n, List.of(b.in(), b.prefix() + ".scale",
            b.prefix() + ".bias", b.prefix() + ".mean", b.prefix() + ".var"), b.out(),
            AttributeProto.newBuilder().setName("epsilon").setType(AttributeProto.AttributeType.FLOAT)
                .setF(Net.BN_EPS).build()));
        case Layer.Relu r -> g.addNode(node("Relu", n, List.of(r.in()), r.out()));
        case Layer.Add a -> g.addNode(node("Add", n, List.of(a.a(), a.b()), a.out()));
        case Layer.MaxPool m -> g.addNode(node("MaxPool", n, List.of(m.in()), m.out(),
            ints("kernel_shape", m.kernel(), m.kernel()), ints("strides", m.stride(), m.stride()),
            ints("pads", m.pad(), m.pad(), m.pad(), m.pad())));
        case Layer.GlobalAvgPool p -> {
          g.addNode(node("GlobalAveragePool", n, List.of(p.in()), p.out() + "_4d"));
          g.addNode(node("Flatten", n + "f", List.of(p.out() + "_4d"), p.out()));
        }
        case Layer.Fc f -> g.addNode(node("Gemm", n, List.of(f.in(), f.weight(), f.bias()), f.out(),
            AttributeProto.newBuilder().setName("transB").setType(AttributeProto.AttributeType.INT).setI(1).build()));
      }
    }
    return ModelProto.newBuilder().setIrVersion(8).setProducerName("rsynth-bench")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17)).setGraph(g).build();
  }

  private static NodeProto node(String op, String name, List<String> in, String out, AttributeProto... attrs) {
    return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(in).addOutput(out)
        .addAllAttribute(List.of(attrs)).build();
  }

  private static AttributeProto ints(String name, long... v) {
    AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
    for (long x : v) {
      a.addInts(x);
    }
    return a.build();
  }

  private static TensorProto tensor(String name, Net.Param p) {
    ByteBuffer b = ByteBuffer.allocate(4 * p.data().length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : p.data()) {
      b.putFloat(f);
    }
    b.flip();
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
        .setRawData(ByteString.copyFrom(b));
    for (long d : p.dims()) {
      t.addDims(d);
    }
    return t.build();
  }

  /** A float value info; -1 dimensions are the symbolic batch N. */
  private static ValueInfoProto info(String name, long... dims) {
    TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
    for (int i = 0; i < dims.length; i++) {
      TensorShapeProto.Dimension.Builder d = TensorShapeProto.Dimension.newBuilder();
      if (i == 0) {
        d.setDimParam("N");
      } else {
        d.setDimValue(dims[i]);
      }
      s.addDim(d);
    }
    return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
        TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(s))).build();
  }
}
