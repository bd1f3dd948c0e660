/**
 * Served models: the model card ({@code model.json}), checksum verification, compilation of the synthesis and
 * forward graphs through a {@link dev.robustsynth.engine.model.GraphCompiler} with an on-disk
 * {@link dev.robustsynth.engine.model.GraphCache}, one pair of ORT sessions and one scheduler per model
 * ({@link dev.robustsynth.engine.model.LoadedModel}), and class-conditional Gaussian seeds
 * ({@link dev.robustsynth.engine.model.GaussianSeedSampler}).
 */
package dev.robustsynth.engine.model;
