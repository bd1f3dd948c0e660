/**
 * The command line of the gradient compiler: {@code compile} writes the synthesis graph, the
 * forward graph and a signature file; {@code layers} lists the activations a user can expose.
 * Plain Java, no framework, so the library module stays dependency-light.
 */
package dev.robustsynth.autodiff.cli;
