/**
 * Task {@code superres}: super-resolution (Santurkar et al. 2019, §3.4). The low-resolution image is upsampled by
 * an integer factor to the model's size (nearest neighbour as in the paper, or bilinear), then projected L2 steps
 * lower the cross-entropy toward the class the model predicts for the upsampled image, inside a ball around it.
 */
package dev.robustsynth.plugins.superres;
