/**
 * Task {@code paint}: paint with features (Santurkar et al. 2019, §3.5). Each stroke raises one channel of an
 * exposed layer inside a region (given, or the channel {@link dev.robustsynth.plugins.paint.FeatureSelector} finds
 * most tied to a class), with an L2 anchor on the pixels outside the region; strokes apply in sequence.
 */
package dev.robustsynth.plugins.paint;
