package dev.robustsynth.autodiff.ops;

import java.util.Objects;

/**
 * Everything the compiler knows about one operator type: shape inference, forward emission and
 * the vector-Jacobian product.
 *
 * @param op ONNX operator type in the default domain
 * @param shape output type inference
 * @param forward forward emission at the target opset
 * @param vjp reverse-mode rule
 */
public record OpRule(String op, ShapeRule shape, ForwardRule forward, VjpRule vjp) {
  public OpRule {
    Objects.requireNonNull(op, "op is null");
    Objects.requireNonNull(shape, "shape is null");
    Objects.requireNonNull(forward, "forward is null");
    Objects.requireNonNull(vjp, "vjp is null");
  }

  /** A rule whose forward emission is a renamed copy of the node. */
  public static OpRule of(String op, ShapeRule shape, VjpRule vjp) {
    return new OpRule(op, shape, ForwardRule.COPY, vjp);
  }
}
