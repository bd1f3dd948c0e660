/**
 * The {@code echo} test task: reports progress, optionally classifies its input with the model, and returns the
 * input image. It exercises the whole service path (validation, image decoding, routing, progress, results,
 * cancellation, error codes) without depending on synthesis quality.
 */
package dev.robustsynth.plugins.echo;
