package dev.robustsynth.autodiff.ops;

import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.graph.NodeView;
import dev.robustsynth.autodiff.graph.TensorType;
import java.util.List;

/** Infers the types and symbolic shapes of a node's outputs from its inputs. */
@FunctionalInterface
public interface ShapeRule {
  List<TensorType> infer(NodeView node) throws CompileException;
}
