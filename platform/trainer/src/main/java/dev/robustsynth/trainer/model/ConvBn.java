package dev.robustsynth.trainer.model;

import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

/** A conv3x3 (no bias, padding 1) followed by batch norm; ReLU follows in the graph. */
public record ConvBn(Conv2d conv, BatchNorm bn) {
}
