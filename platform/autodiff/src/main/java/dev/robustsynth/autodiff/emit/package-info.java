/**
 * Emission of ONNX graphs: {@link dev.robustsynth.autodiff.emit.GraphBuilder} collects nodes and
 * initializers with unique names and knows how the target opset spells axes, and
 * {@link dev.robustsynth.autodiff.emit.EmitContext} is what a rule sees while it emits one node's
 * forward computation or its vector-Jacobian product. Internal to the compiler.
 */
package dev.robustsynth.autodiff.emit;
