package dev.robustsynth.autodiff.graph;

import java.util.Optional;

/** What the compiler knows about each tensor of the source graph, by name. */
public interface Facts {
  /** Type and shape of a tensor, or null when not (yet) inferred. */
  TensorType type(String name);

  /** The compile-time value of a tensor, if it has one. */
  Optional<KnownValue> value(String name);

  /** True when the tensor is float and depends on the image input. */
  boolean varied(String name);

  /** True when the tensor is needed to compute the requested outputs. */
  boolean needed(String name);
}
