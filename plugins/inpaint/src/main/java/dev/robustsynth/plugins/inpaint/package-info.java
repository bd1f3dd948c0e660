/**
 * Task {@code inpaint}: inpainting (Santurkar et al. 2019, §3.2). The missing pixels (a mask or a square hole) are
 * filled (mean of the known pixels by default); projected L2 steps then lower cross-entropy toward the class plus
 * λ·‖(1−m)⊙(x − x₀)‖² on the known pixels, inside a ball around the corrupted image x₀.
 */
package dev.robustsynth.plugins.inpaint;
