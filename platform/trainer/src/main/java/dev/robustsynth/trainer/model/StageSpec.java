package dev.robustsynth.trainer.model;

/**
 * One stage of a network: conv3x3-BN-ReLU to {@code outChannels}, then an optional 2x2 max-pool, then an
 * optional residual block (two conv3x3-BN-ReLU units added to the stage's value).
 *
 * @param name the stage's tensor name in the exported graph (e.g. {@code stage2})
 */
public record StageSpec(String name, int outChannels, boolean pool, boolean residual) {
}
