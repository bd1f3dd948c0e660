package dev.robustsynth.autodiff;

/**
 * The execution provider the compiled graphs are tuned for. Both targets emit standard operators
 * only and run anywhere; the choice picks between equivalent formulations.
 */
public enum ExecutionTarget {
  /** ORT's CPU provider: non-overlapping max-pool gradients use MaxUnpool (about 3× cheaper there). */
  CPU,
  /** ORT's CUDA provider: only operators it implements (every max-pool gradient is a scatter-add). */
  CUDA
}
