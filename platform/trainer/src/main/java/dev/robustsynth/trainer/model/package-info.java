/**
 * The network families (ResNet-9, a small CNN) as specs and as DJL blocks with normalisation inside; the blocks
 * are kept by stage so the exporter can walk them.
 */
package dev.robustsynth.trainer.model;
