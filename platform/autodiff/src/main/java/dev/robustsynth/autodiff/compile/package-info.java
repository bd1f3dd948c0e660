/**
 * The compilation pipeline: analysis (needed nodes, constant folding of shape plumbing, shape
 * inference, activity), forward emission into both graphs, the soft-target cross-entropy objective
 * with its closed-form seed, and the generic reverse pass that sums fan-out and calls the rules.
 * Internal to the compiler; use {@link dev.robustsynth.autodiff.SynthesisCompiler}.
 */
package dev.robustsynth.autodiff.compile;
