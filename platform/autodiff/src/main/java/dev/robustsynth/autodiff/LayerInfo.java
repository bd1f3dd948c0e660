package dev.robustsynth.autodiff;

import java.util.List;
import java.util.Objects;

/**
 * An activation a user can expose for feature painting.
 *
 * @param name tensor name in the source model (and in the compiled graphs)
 * @param op type of the operator producing it
 * @param shape per-example shape: the tensor is [N, shape…]
 */
public record LayerInfo(String name, String op, List<Long> shape) {
  public LayerInfo {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(op, "op is null");
    shape = List.copyOf(shape);
  }

  /** Number of values per example. */
  public long size() {
    return shape.stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
  }
}
