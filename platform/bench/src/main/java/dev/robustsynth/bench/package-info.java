/**
 * Benchmarks of the gradient compiler's output: ResNet-shaped networks defined once
 * ({@link dev.robustsynth.bench.Net}), written as ONNX from their parameters and run by libtorch
 * through DJL with the same weights, timed interleaved in one process.
 */
package dev.robustsynth.bench;
