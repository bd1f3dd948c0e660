/**
 * The optimiser: projected gradient steps of the robustness library (L2 normalised steps, L∞ sign steps,
 * projection onto the eps ball around each item's centre, box [0,1], change masks, the pixel-anchor term) over
 * plain float arrays, and the {@link dev.robustsynth.engine.optim.SpecPlanner} that checks a synthesis spec
 * against a model on the caller's thread and flattens it into {@link dev.robustsynth.engine.optim.ItemPlan}s.
 * Nothing here is random: a synthesis is a deterministic function of its spec and the model's gradients.
 */
package dev.robustsynth.engine.optim;
