/**
 * The ONNX gradient compiler's public API. {@link dev.robustsynth.autodiff.SynthesisCompiler}
 * turns a forward classifier into a synthesis graph that computes its own per-example input
 * gradient with standard ONNX operators (so any ONNX Runtime build runs it in a plain inference
 * session) plus a forward-only graph for classification; {@link dev.robustsynth.autodiff.SynthesisNames}
 * holds the tensor names of that contract (DESIGN §4), {@link dev.robustsynth.autodiff.CompiledModel}
 * and {@link dev.robustsynth.autodiff.ModelSignature} describe the result, and
 * {@link dev.robustsynth.autodiff.CompileException} reports why a model cannot be compiled.
 */
package dev.robustsynth.autodiff;
