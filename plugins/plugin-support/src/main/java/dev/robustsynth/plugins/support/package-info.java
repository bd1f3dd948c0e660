/**
 * What several task plugins share, so no plugin repeats it: pixel helpers ({@link
 * dev.robustsynth.plugins.support.Masks}, {@link
 * dev.robustsynth.plugins.support.SquareHole}, {@link dev.robustsynth.plugins.support.Pixels}), parameter resolution
 * ({@link dev.robustsynth.plugins.support.ClassParameter}, {@link dev.robustsynth.plugins.support.StepSettings} with
 * per-model defaults and the configured {@link dev.robustsynth.plugins.support.TaskTuning}), the classify–synthesize–classify {@link
 * dev.robustsynth.plugins.support.SynthesisRun} and the result metadata of {@link
 * dev.robustsynth.plugins.support.Reports}.
 *
 * <p>Depends on the SPI and {@code platform/pgd} (whose {@link dev.robustsynth.pgd.Resample} is the one resizer).
 * Each plugin jar carries its own shaded copy, so a plugin class loader that sees
 * nothing but the SPI and the JDK still finds these classes.
 */
package dev.robustsynth.plugins.support;
