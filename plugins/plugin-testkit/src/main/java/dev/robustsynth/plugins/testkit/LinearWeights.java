package dev.robustsynth.plugins.testkit;

import static java.util.Objects.requireNonNull;

import java.util.SplittableRandom;

/**
 * The weights of a {@link LinearSoftmaxModel} for inputs of {@code channels × height × width} pixels.
 *
 * @param pixel   {@code [K][C·H·W]}: logits' direct dependence on the pixels (CHW order)
 * @param kernels {@code [F][C][2][2]}: the stride-2 2×2 convolution that makes the {@code features} layer
 * @param feature {@code [K][F]}: logits' dependence on the {@code pooled} layer
 * @param bias    {@code [K]}
 */
public record LinearWeights(float[][] pixel, float[][][][] kernels, float[][] feature, float[] bias) {

    public LinearWeights {
        requireNonNull(pixel, "pixel is null");
        requireNonNull(kernels, "kernels is null");
        requireNonNull(feature, "feature is null");
        requireNonNull(bias, "bias is null");
        if (pixel.length != bias.length || feature.length != bias.length) {
            throw new IllegalArgumentException("pixel, feature and bias weights disagree on the number of classes");
        }
        for (float[] row : feature) {
            if (row.length != kernels.length) {
                throw new IllegalArgumentException("feature weights need one column per kernel (" + kernels.length + ")");
            }
        }
    }

    public int numClasses() {
        return bias.length;
    }

    public int featureChannels() {
        return kernels.length;
    }

    /**
     * Random weights (fixed by {@code seed}): pixel weights N(0, 1/D), kernels N(0, 1), feature weights N(0, 1).
     */
    public static LinearWeights random(int classes, int channels, int height, int width, int featureChannels,
                                       long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int d = channels * height * width;
        float[][] pixel = new float[classes][d];
        double scale = 1.0 / Math.sqrt(d);
        for (float[] row : pixel) {
            for (int i = 0; i < d; i++) {
                row[i] = (float) (gaussian(random) * scale);
            }
        }
        float[][][][] kernels = new float[featureChannels][channels][2][2];
        for (float[][][] k : kernels) {
            for (float[][] c : k) {
                for (float[] r : c) {
                    for (int i = 0; i < 2; i++) {
                        r[i] = (float) gaussian(random);
                    }
                }
            }
        }
        float[][] feature = new float[classes][featureChannels];
        for (float[] row : feature) {
            for (int i = 0; i < featureChannels; i++) {
                row[i] = (float) gaussian(random);
            }
        }
        return new LinearWeights(pixel, kernels, feature, new float[classes]);
    }

    /**
     * Weights whose class k is driven mostly by feature channel k: the feature weights become {@code gain} on the
     * diagonal and 0 elsewhere (needs at least as many feature channels as classes), the pixel weights are scaled
     * by {@code pixelScale}. With one input channel and up to four features, the kernels are the 2×2 Haar basis,
     * so the features are uncorrelated under pixel noise.
     */
    public LinearWeights tiedToClasses(double gain, double pixelScale) {
        int k = numClasses();
        int f = featureChannels();
        if (f < k) {
            throw new IllegalArgumentException("need at least " + k + " feature channels, have " + f);
        }
        float[][] tied = new float[k][f];
        for (int i = 0; i < k; i++) {
            tied[i][i] = (float) gain;
        }
        float[][] scaled = new float[k][];
        for (int i = 0; i < k; i++) {
            scaled[i] = pixel[i].clone();
            for (int j = 0; j < scaled[i].length; j++) {
                scaled[i][j] *= (float) pixelScale;
            }
        }
        float[][][][] kernelsUsed = kernels;
        if (kernels[0].length == 1 && f <= 4) {
            float[][][] haar = {
                {{0.5f, 0.5f}, {0.5f, 0.5f}}, {{0.5f, -0.5f}, {0.5f, -0.5f}},
                {{0.5f, 0.5f}, {-0.5f, -0.5f}}, {{0.5f, -0.5f}, {-0.5f, 0.5f}}};
            kernelsUsed = new float[f][1][][];
            for (int i = 0; i < f; i++) {
                kernelsUsed[i][0] = haar[i];
            }
        }
        return new LinearWeights(scaled, kernelsUsed, tied, bias.clone());
    }

    static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
