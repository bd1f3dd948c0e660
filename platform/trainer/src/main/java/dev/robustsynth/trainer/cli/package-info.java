/** The picocli commands {@code train}, {@code evaluate}, {@code export} and {@code seeds}. */
package dev.robustsynth.trainer.cli;
