package dev.robustsynth.autodiff.ops;

import dev.robustsynth.autodiff.CompileException;
import dev.robustsynth.autodiff.emit.EmitContext;
import dev.robustsynth.autodiff.graph.NodeView;
import java.util.List;

/**
 * Emits the vector-Jacobian product of a node: given the gradient {@code ctx.dy()} of the loss
 * with respect to output 0, returns one emitted tensor name per input, the gradient with respect
 * to that input, or null where the input is not differentiable (integer, or the rule does not
 * differentiate it; the reverse pass fails if such an input depends on the image).
 */
@FunctionalInterface
public interface VjpRule {
  List<String> vjp(NodeView node, EmitContext ctx) throws CompileException;
}
