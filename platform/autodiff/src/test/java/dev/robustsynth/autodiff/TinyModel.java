package dev.robustsynth.autodiff;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.robustsynth.autodiff.emit.GraphBuilder;
import dev.robustsynth.autodiff.graph.Shape;
import dev.robustsynth.autodiff.graph.Tensors;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Builds small source models by hand, as an exporter would write them. Test helper. */
final class TinyModel {
  private final GraphProto.Builder g = GraphProto.newBuilder().setName("tiny");
  private final int opset;
  private final Random random;
  private int count;

  TinyModel(int opset, long seed) {
    this.opset = opset;
    this.random = new Random(seed);
  }

  /** Declares the image input [N, c, h, w] (batch symbolic). */
  TinyModel input(String name, long c, long h, long w) {
    g.addInput(GraphBuilder.valueInfo(name, Tensors.FLOAT, Shape.of(Shape.N, c, h, w)));
    return this;
  }

  /** Declares the logits output [N, k]. */
  TinyModel output(String name, long k) {
    g.addOutput(GraphBuilder.valueInfo(name, Tensors.FLOAT, Shape.of(Shape.N, k)));
    return this;
  }

  /** Adds a node with one output named {@code out}. */
  String node(String op, List<String> inputs, String out, AttributeProto... attrs) {
    g.addNode(NodeProto.newBuilder().setOpType(op).setName(op + "_" + count++).addAllInput(inputs).addOutput(out)
        .addAllAttribute(Arrays.asList(attrs)));
    return out;
  }

  /** A random float weight, normal with the given standard deviation. */
  String weight(String name, double std, long... dims) {
    double[] v = new double[(int) Tensors.count(dims)];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextGaussian() * std;
    }
    return floats(name, dims, v);
  }

  String floats(String name, long[] dims, double[] v) {
    g.addInitializer(Tensors.ofReals(name, Tensors.FLOAT, dims, v));
    return name;
  }

  String ints(String name, long... v) {
    g.addInitializer(Tensors.ofLongs(name, Tensors.INT64, new long[] {v.length}, v));
    return name;
  }

  String scalar(String name, double v) {
    g.addInitializer(Tensors.ofReals(name, Tensors.FLOAT, new long[0], new double[] {v}));
    return name;
  }

  void initializer(TensorProto t) {
    g.addInitializer(t);
  }

  /** Builds the model with an untyped output of the given name. */
  ModelProto buildWithOutput(String name) {
    g.addOutput(ai.onnx.proto.OnnxMl.ValueInfoProto.newBuilder().setName(name));
    return build();
  }

  ModelProto build() {
    return ModelProto.newBuilder().setIrVersion(8).setProducerName("tiny-test")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(g).build();
  }
}
