package dev.robustsynth.service.run;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.service.intake.ProgressRequest;
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

/**
 * The engine's facade, counting the steps of the task's syntheses for provenance and, when the request asked for a
 * progress cadence, reporting at that cadence instead of the plugin's ({@link ProgressRequest#every(int)}).
 */
final class CountingFacade implements ModelFacade {
    private final ModelFacade delegate;
    private final Optional<ProgressRequest> progress;
    private final AtomicLong steps = new AtomicLong();

    CountingFacade(ModelFacade delegate, Optional<ProgressRequest> progress) {
        this.delegate = requireNonNull(delegate, "delegate is null");
        this.progress = requireNonNull(progress, "progress is null");
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
        SynthesisSpec paced = progress.map(p -> new SynthesisSpec(spec.items(), spec.rule(),
                p.every(spec.rule().steps()), spec.stage())).orElse(spec);
        SynthesisOutcome outcome = delegate.synthesize(paced);
        steps.addAndGet(outcome.stepsRun());
        return outcome;
    }
}
