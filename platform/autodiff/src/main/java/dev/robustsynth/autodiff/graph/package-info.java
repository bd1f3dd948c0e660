/**
 * The compiler's view of a source graph: symbolic shapes with one batch dimension
 * ({@link dev.robustsynth.autodiff.graph.Shape}), compile-time values affine in the batch size
 * ({@link dev.robustsynth.autodiff.graph.KnownValue}), tensor encoding, and
 * {@link dev.robustsynth.autodiff.graph.NodeView}, a node with typed access to its attributes and
 * to what is known about its inputs. Internal to the compiler.
 */
package dev.robustsynth.autodiff.graph;
