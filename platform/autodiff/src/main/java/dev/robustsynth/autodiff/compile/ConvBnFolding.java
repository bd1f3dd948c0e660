package dev.robustsynth.autodiff.compile;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.graph.SourceGraph;
import dev.robustsynth.autodiff.graph.Tensors;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds an inference BatchNormalization into the Conv that feeds it (when nothing else reads the
 * conv's output and its weights are initializers): W' = W·k, b' = (b − mean)·k + beta with
 * k = scale/√(var + ε). The fold is written as nodes on constants: the compiler folds the small
 * ones, ORT the weight product at session creation. The backward pass then has no per-BN multiply.
 */
final class ConvBnFolding {
  private ConvBnFolding() {}

  /** The graph with every foldable Conv→BN pair fused; {@code keep} names tensors that must stay. */
  static SourceGraph apply(SourceGraph src, Collection<String> keep) throws CompileException {
    Map<String, NodeProto> producer = new HashMap<>();
    Map<String, Integer> readers = new HashMap<>();
    for (NodeProto n : src.nodes()) {
      n.getOutputList().forEach(o -> producer.put(o, n));
      n.getInputList().forEach(i -> readers.merge(i, 1, Integer::sum));
    }
    Set<NodeProto> removed = new HashSet<>();
    Map<NodeProto, List<NodeProto>> replacement = new HashMap<>();
    List<TensorProto> extra = new ArrayList<>();
    for (NodeProto bn : src.nodes()) {
      NodeProto conv = bn.getOpType().equals("BatchNormalization") && bn.getInputCount() == 5
          ? producer.get(bn.getInput(0)) : null;
      if (conv == null || !foldable(src, conv, bn, readers, keep)) {
        continue;
      }
      String p = bn.getOutput(0) + "/bnfold";
      TensorProto w = src.initializers().get(conv.getInput(1));
      long m = w.getDims(0);
      long[] kShape = new long[w.getDimsCount()];
      java.util.Arrays.fill(kShape, 1);
      kShape[0] = m;
      int type = w.getDataType();
      extra.add(Tensors.ofReals(p + "/eps", type, new long[0], new double[] {epsilon(bn)}));
      extra.add(Tensors.ofLongs(p + "/kshape", Tensors.INT64, new long[] {kShape.length}, kShape));
      List<NodeProto> nodes = new ArrayList<>();
      nodes.add(node("Add", p + "/var_eps", bn.getInput(4), p + "/eps"));
      nodes.add(node("Sqrt", p + "/std", p + "/var_eps"));
      nodes.add(node("Div", p + "/k", bn.getInput(1), p + "/std"));
      nodes.add(node("Reshape", p + "/k_w", p + "/k", p + "/kshape"));
      nodes.add(node("Mul", p + "/weight", conv.getInput(1), p + "/k_w"));
      String shift = conv.getInputCount() > 2 && !conv.getInput(2).isEmpty()
          ? node(nodes, "Sub", p + "/centred", conv.getInput(2), bn.getInput(3))
          : node(nodes, "Neg", p + "/centred", bn.getInput(3));
      nodes.add(node("Mul", p + "/scaled", shift, p + "/k"));
      nodes.add(node("Add", p + "/bias", p + "/scaled", bn.getInput(2)));
      NodeProto.Builder fused = conv.toBuilder().clearInput().clearOutput().setName(conv.getName() + "+bn")
          .addInput(conv.getInput(0)).addInput(p + "/weight").addInput(p + "/bias").addOutput(bn.getOutput(0));
      nodes.add(fused.build());
      removed.add(conv);
      replacement.put(bn, nodes);
    }
    if (replacement.isEmpty()) {
      return src;
    }
    List<NodeProto> out = new ArrayList<>();
    for (NodeProto n : src.nodes()) {
      if (replacement.containsKey(n)) {
        out.addAll(replacement.get(n));
      } else if (!removed.contains(n)) {
        out.add(n);
      }
    }
    return src.withNodes(out, extra);
  }

  private static boolean foldable(SourceGraph src, NodeProto conv, NodeProto bn, Map<String, Integer> readers,
      Collection<String> keep) {
    if (!conv.getOpType().equals("Conv") || bn.getOutputCount() != 1 || trainingMode(bn)
        || readers.getOrDefault(conv.getOutput(0), 0) != 1 || keep.contains(conv.getOutput(0))
        || !src.initializers().containsKey(conv.getInput(1))
        || (conv.getInputCount() > 2 && !conv.getInput(2).isEmpty()
            && !src.initializers().containsKey(conv.getInput(2)))) {
      return false;
    }
    for (int i = 1; i <= 4; i++) {
      TensorProto t = src.initializers().get(bn.getInput(i));
      if (t == null || t.getDataType() != src.initializers().get(conv.getInput(1)).getDataType()) {
        return false;
      }
    }
    return src.initializers().get(conv.getInput(1)).getDimsCount() >= 3;
  }

  private static boolean trainingMode(NodeProto bn) {
    return bn.getAttributeList().stream().anyMatch(a -> a.getName().equals("training_mode") && a.getI() != 0);
  }

  private static double epsilon(NodeProto bn) {
    for (AttributeProto a : bn.getAttributeList()) {
      if (a.getName().equals("epsilon")) {
        return a.getF();
      }
    }
    return 1e-5f;
  }

  private static NodeProto node(String op, String out, String... in) {
    return NodeProto.newBuilder().setOpType(op).setName(out).addAllInput(List.of(in)).addOutput(out).build();
  }

  private static String node(List<NodeProto> nodes, String op, String out, String... in) {
    nodes.add(node(op, out, in));
    return out;
  }
}
