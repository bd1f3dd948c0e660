/**
 * ONNX Runtime underneath the engine: sessions opened with the configured execution provider and thread counts
 * ({@link dev.robustsynth.engine.runtime.SessionFactory}), the synthesis graph as the scheduler's
 * {@link dev.robustsynth.engine.schedule.GradientBackend} over reused direct buffers and pinned outputs
 * ({@link dev.robustsynth.engine.runtime.OrtGradientBackend}), and forward-only passes for classification and
 * activations ({@link dev.robustsynth.engine.runtime.OrtForward}).
 */
package dev.robustsynth.engine.runtime;
