package dev.robustsynth.service.run;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.ModelFacade;
import dev.robustsynth.spi.ModelInfo;
import dev.robustsynth.spi.Prediction;
import dev.robustsynth.spi.SeedSampler;
import dev.robustsynth.spi.SynthesisOutcome;
import dev.robustsynth.spi.SynthesisSpec;
import dev.robustsynth.spi.TaskException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** The engine's facade, counting the steps of the task's syntheses for provenance. */
final class CountingFacade implements ModelFacade {
    private final ModelFacade delegate;
    private final AtomicLong steps = new AtomicLong();

    CountingFacade(ModelFacade delegate) {
        this.delegate = requireNonNull(delegate, "delegate is null");
    }

    long steps() {
        return steps.get();
    }

    @Override
    public ModelInfo info() {
        return delegate.info();
    }

    @Override
    public List<Prediction> classify(List<Image> images) throws TaskException {
        return delegate.classify(images);
    }

    @Override
    public List<float[]> activations(String layer, List<Image> images) throws TaskException {
        return delegate.activations(layer, images);
    }

    @Override
    public Optional<SeedSampler> seeds() {
        return delegate.seeds();
    }

    @Override
    public SynthesisOutcome synthesize(SynthesisSpec spec) throws TaskException {
        SynthesisOutcome outcome = delegate.synthesize(spec);
        steps.addAndGet(outcome.stepsRun());
        return outcome;
    }
}
