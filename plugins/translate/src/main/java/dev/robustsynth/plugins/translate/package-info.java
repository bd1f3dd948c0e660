/**
 * Task {@code translate}: image-to-image translation (Santurkar et al. 2019, §3.3). Projected L2 steps lower the
 * cross-entropy toward the target class inside a ball of radius eps around the source image. The paper trains the
 * robust model on both domains (e.g. horses and zebras) as two classes; here any class of the model is a domain.
 */
package dev.robustsynth.plugins.translate;
