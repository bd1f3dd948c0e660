package dev.robustsynth.autodiff.ops;

import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.emit.EmitContext;
import dev.robustsynth.autodiff.graph.NodeView;

/**
 * Emits the forward computation of a node at the target opset: usually a renamed copy, sometimes
 * an upgraded form (axes as inputs, explicit pads) or, in the synthesis graph, a form that keeps
 * what the backward pass needs (MaxPool's indices).
 */
@FunctionalInterface
public interface ForwardRule {
  /** The default: copy the node, renaming its tensors. */
  ForwardRule COPY = (n, c) -> c.copy();

  void emit(NodeView node, EmitContext ctx) throws CompileException;
}
