/**
 * Task {@code generate}: class-conditional generation (Santurkar et al. 2019, §3.1). Seeds come from the model's
 * class-conditional Gaussian (or a component of its mixture) and move by projected L2 steps that lower the
 * cross-entropy toward their class, inside a ball of radius eps around the seed and the box [0,1].
 */
package dev.robustsynth.plugins.generate;
