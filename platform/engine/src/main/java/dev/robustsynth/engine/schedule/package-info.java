/**
 * Iteration-level (continuous) batching: one {@link dev.robustsynth.engine.schedule.StepScheduler} thread per
 * model advances every live synthesis on that model in lock-step, one synthesis-graph evaluation per tick over the
 * union of their current images (up to a maximum batch, round-robin beyond it). Work joins at the next tick and
 * leaves when done, cancelled or late. The graph is reached through
 * {@link dev.robustsynth.engine.schedule.GradientBackend}, so the scheduler knows nothing of ONNX Runtime.
 */
package dev.robustsynth.engine.schedule;
