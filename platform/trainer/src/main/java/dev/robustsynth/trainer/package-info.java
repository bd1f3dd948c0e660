/**
 * RobustSynth's trainer: presets that reproduce each shipped model ({@link dev.robustsynth.trainer.Presets}),
 * where the data lives ({@link dev.robustsynth.trainer.DataSources}) and the DJL engine set-up.
 */
package dev.robustsynth.trainer;
