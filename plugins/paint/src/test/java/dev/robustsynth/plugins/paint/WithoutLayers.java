package dev.robustsynth.plugins.paint;

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

/** A real model seen through a card that lists no layers, as a user's model without exposed activations is. */
final class WithoutLayers implements ModelFacade {
    private final ModelFacade model;
    private final ModelInfo info;

    WithoutLayers(ModelFacade model) {
        this.model = model;
        ModelInfo i = model.info();
        this.info = new ModelInfo(i.name(), i.sha256(), i.classes(), i.channels(), i.height(), i.width(), List.of(),
                i.threatModel(), i.defaults());
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public List<Prediction> classify(List<Image> images) throws TaskException {
        return model.classify(images);
    }

    @Override
    public List<float[]> activations(String layer, List<Image> images) throws TaskException {
        throw new TaskException(dev.robustsynth.spi.ErrorCode.INVALID_PARAMETERS, "no layer '" + layer + "'");
    }

    @Override
    public Optional<SeedSampler> seeds() {
        return model.seeds();
    }

    @Override
    public SynthesisOutcome synthesize(SynthesisSpec spec) throws TaskException {
        return model.synthesize(spec);
    }
}
