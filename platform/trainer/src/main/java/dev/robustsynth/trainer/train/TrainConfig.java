package dev.robustsynth.trainer.train;

import dev.robustsynth.trainer.data.Augmenter;

/**
 * How to train one model.
 *
 * @param family             network family ({@code resnet9}, {@code smallcnn})
 * @param width              base width
 * @param epochs             epochs
 * @param batchSize          batch size (the last partial batch of an epoch is dropped)
 * @param maxLr              OneCycle peak learning rate
 * @param momentum           SGD momentum
 * @param nesterov           Nesterov momentum
 * @param weightDecay        L2 weight decay
 * @param attack             PGD attack inside the loop, or null for standard training
 * @param augment            augmentation
 * @param seed               seed of the engine RNG, the shuffling and the augmentation
 * @param maxBatchesPerEpoch 0 for whole epochs; otherwise a cap (tests, smoke runs)
 */
public record TrainConfig(String family, int width, int epochs, int batchSize, float maxLr, float momentum,
        boolean nesterov, float weightDecay, AttackConfig attack, Augmenter augment, int seed, int maxBatchesPerEpoch) {

    public TrainConfig withEpochs(int e) {
        return new TrainConfig(family, width, e, batchSize, maxLr, momentum, nesterov, weightDecay, attack, augment, seed,
                maxBatchesPerEpoch);
    }

    public TrainConfig withWidth(int w) {
        return new TrainConfig(family, w, epochs, batchSize, maxLr, momentum, nesterov, weightDecay, attack, augment, seed,
                maxBatchesPerEpoch);
    }

    public TrainConfig withAttack(AttackConfig a) {
        return new TrainConfig(family, width, epochs, batchSize, maxLr, momentum, nesterov, weightDecay, a, augment, seed,
                maxBatchesPerEpoch);
    }

    public TrainConfig withMaxBatchesPerEpoch(int m) {
        return new TrainConfig(family, width, epochs, batchSize, maxLr, momentum, nesterov, weightDecay, attack, augment,
                seed, m);
    }

    public TrainConfig withBatchSize(int b) {
        return new TrainConfig(family, width, epochs, b, maxLr, momentum, nesterov, weightDecay, attack, augment, seed,
                maxBatchesPerEpoch);
    }

    public TrainConfig withMaxLr(float lr) {
        return new TrainConfig(family, width, epochs, batchSize, lr, momentum, nesterov, weightDecay, attack, augment, seed,
                maxBatchesPerEpoch);
    }

    public TrainConfig withSeed(int s) {
        return new TrainConfig(family, width, epochs, batchSize, maxLr, momentum, nesterov, weightDecay, attack, augment, s,
                maxBatchesPerEpoch);
    }

    public String optimizerDescription() {
        return "sgd" + (nesterov ? " nesterov" : "") + " momentum " + momentum;
    }

    public String augmentationDescription() {
        if (augment.pad() == 0 && !augment.flip()) {
            return "none";
        }
        String crop = augment.pad() > 0 ? (augment.reflect() ? "reflect" : "zero") + " pad " + augment.pad() + " crop"
                : "";
        if (augment.flip()) {
            return crop.isEmpty() ? "flip" : "flip + " + crop;
        }
        return crop;
    }
}
