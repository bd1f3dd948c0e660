package dev.robustsynth.spi;

import java.util.List;
import java.util.Optional;

/**
 * One loaded model, as a task sees it. The host gives each task its own facade over the model's one shared
 * runtime session; syntheses submitted through it advance in lock-step with every other task's on that model.
 * The facade knows its task's cancellation and deadline.
 */
public interface ModelFacade {

    ModelInfo info();

    /** Class probabilities for each image (a forward pass only). */
    List<Prediction> classify(List<Image> images) throws TaskException;

    /** The exposed activation {@code layer} for each image, flattened in the layer's own order. */
    List<float[]> activations(String layer, List<Image> images) throws TaskException;

    /** Class-conditional seed statistics, when the model ships them. */
    Optional<SeedSampler> seeds();

    /**
     * Runs projected gradient descent for every item of {@code spec} and blocks until it ends. Progress is reported
     * to the task's progress sink every {@link SynthesisSpec#progressEvery()} steps.
     *
     * @throws TaskException {@link ErrorCode#CANCELLED} or {@link ErrorCode#DEADLINE_EXCEEDED} within one step of
     *     either happening; {@link ErrorCode#INVALID_PARAMETERS} when the spec does not fit the model
     */
    SynthesisOutcome synthesize(SynthesisSpec spec) throws TaskException;
}
