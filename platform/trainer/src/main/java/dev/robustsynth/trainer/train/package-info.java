/**
 * Standard and adversarial training: PGD with the robustness library's L2/L-inf step rules, SGD with Nesterov
 * momentum and OneCycle, checkpoints that resume, clean and robust evaluation.
 */
package dev.robustsynth.trainer.train;
