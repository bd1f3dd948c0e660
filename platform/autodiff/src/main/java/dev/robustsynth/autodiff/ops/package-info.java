/**
 * The operator rules, as data: {@link dev.robustsynth.autodiff.ops.OpRegistry} maps each supported
 * ONNX operator type to an {@link dev.robustsynth.autodiff.ops.OpRule} of shape inference, forward
 * emission and vector-Jacobian product. Rules are grouped by theme (element-wise, linear, data
 * movement, normalisation, convolution, pools); each is a few lines, or one named method. The
 * recipes follow AUTODIFF-NOTES.md and are checked by finite differences in the tests.
 */
package dev.robustsynth.autodiff.ops;
