package dev.robustsynth.trainer;

import dev.robustsynth.trainer.train.AttackConfig;
import dev.robustsynth.trainer.train.TrainConfig;
import java.util.List;

/**
 * Everything that reproduces one shipped model: data set, normalisation, training recipe, evaluation
 * radii, seed resolution and synthesis defaults for the model card.
 *
 * @param name           model name ({@code models/<name>})
 * @param dataset        {@code fashion} or {@code cifar10}
 * @param mean           normalisation mean per channel
 * @param std            normalisation std per channel
 * @param train          the recipe
 * @param evalNorm       norm of the evaluation attacks
 * @param evalRadii      radii reported in the card
 * @param evalSteps      PGD steps of the evaluation attacks
 * @param robustImages   test images used for the robust numbers
 * @param seedSize       side of the seed statistics' reduced resolution
 * @param synthesis      generation defaults for the card
 */
public record Preset(String name, String dataset, float[] mean, float[] std, TrainConfig train,
        AttackConfig.Norm evalNorm, List<Float> evalRadii, int evalSteps, int robustImages, int seedSize,
        SynthesisDefaults synthesis) {

    /** Generation defaults written to the model card. */
    public record SynthesisDefaults(double eps, double stepSize, int steps) {
    }

    public Preset withTrain(TrainConfig t) {
        return new Preset(name, dataset, mean, std, t, evalNorm, evalRadii, evalSteps, robustImages, seedSize, synthesis);
    }

    public Preset withRobustImages(int n) {
        return new Preset(name, dataset, mean, std, train, evalNorm, evalRadii, evalSteps, n, seedSize, synthesis);
    }

    public Preset withName(String n) {
        return new Preset(n, dataset, mean, std, train, evalNorm, evalRadii, evalSteps, robustImages, seedSize, synthesis);
    }
}
