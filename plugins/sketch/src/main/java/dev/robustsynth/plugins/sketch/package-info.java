/**
 * Task {@code sketch}: sketch-to-image (Santurkar et al. 2019, §3.5). A rough drawing moves by projected L2 steps
 * that lower the cross-entropy toward the target class, inside a ball around the drawing: the same machinery as
 * {@code translate}, with larger default eps and steps because a drawing starts far from the data.
 */
package dev.robustsynth.plugins.sketch;
