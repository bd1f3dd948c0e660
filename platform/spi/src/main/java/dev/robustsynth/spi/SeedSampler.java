package dev.robustsynth.spi;

import java.util.random.RandomGenerator;

/** Draws class-conditional starting images for generation, at the model's input size. */
public interface SeedSampler {

    /** Mixture components available for a class (1 for a single Gaussian). */
    default int components(int classIndex) {
        return 1;
    }

    /** One seed from the class's Gaussian (a random component when the class has a mixture). */
    Image sample(int classIndex, RandomGenerator random);

    /** One seed from the class's single Gaussian, ignoring any mixture. */
    default Image sampleSingleGaussian(int classIndex, RandomGenerator random) {
        return sample(classIndex, random);
    }
}
