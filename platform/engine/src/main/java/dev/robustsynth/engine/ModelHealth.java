package dev.robustsynth.engine;

/**
 * One served model, for health endpoints.
 *
 * @param name             the model's name
 * @param sha256           checksum of its ONNX file
 * @param provider         {@code cpu} or {@code cuda}: what its sessions run on
 * @param seeds            whether it ships seed statistics
 * @param liveJobs         syntheses being stepped
 * @param liveItems        images being stepped
 * @param waitingJobs      syntheses joining at the next tick
 * @param ticks            scheduler ticks so far
 * @param imageSteps       image evaluations so far
 * @param overheadFraction share of tick time spent outside the graph evaluation
 */
public record ModelHealth(String name, String sha256, String provider, boolean seeds, int liveJobs, int liveItems,
                          int waitingJobs, long ticks, long imageSteps, double overheadFraction) {
}
