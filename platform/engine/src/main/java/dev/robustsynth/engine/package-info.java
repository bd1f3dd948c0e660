/**
 * The synthesis engine's public entry point for the service: {@link dev.robustsynth.engine.Engine} loads the
 * configured models ({@link dev.robustsynth.engine.EngineConfig}), hands each task a
 * {@link dev.robustsynth.spi.ModelFacade} bound to its {@link dev.robustsynth.engine.TaskControl}, and reports
 * {@link dev.robustsynth.engine.EngineHealth}. Image codecs live in {@code dev.robustsynth.engine.image}.
 */
package dev.robustsynth.engine;
