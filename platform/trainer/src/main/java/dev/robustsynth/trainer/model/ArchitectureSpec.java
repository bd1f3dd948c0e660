package dev.robustsynth.trainer.model;

import java.util.List;
import java.util.Objects;

/**
 * A network family the trainer builds and exports: input normalisation, a list of conv stages, global
 * average pooling to the {@code features} vector, and one linear layer to the logits.
 *
 * @param family     {@code resnet9} or {@code smallcnn}
 * @param width      base channel count (w)
 * @param channels   input channels
 * @param height     input height
 * @param imageWidth input width
 * @param numClasses number of output classes
 * @param mean       per-channel normalisation mean (applied inside the model)
 * @param std        per-channel normalisation std
 * @param stages     conv stages in order
 * @param hidden     0: global average pooling gives {@code features}; otherwise the last stage is flattened
 *                   and a fully connected layer of this many units + ReLU gives {@code features}
 */
public record ArchitectureSpec(String family, int width, int channels, int height, int imageWidth, int numClasses,
        float[] mean, float[] std, List<StageSpec> stages, int hidden) {

    public ArchitectureSpec {
        Objects.requireNonNull(family, "family is null");
        stages = List.copyOf(stages);
        if (mean.length != channels || std.length != channels) {
            throw new IllegalArgumentException("mean/std need " + channels + " values, got " + mean.length + "/"
                    + std.length);
        }
    }

    /**
     * ResNet-9 (Myrtle/Page style): stages of width w, 2w, 4w, 8w; max-pool after stages 2-4; residual
     * blocks after stages 2 and 4.
     */
    public static ArchitectureSpec resnet9(int width, int channels, int height, int imageWidth, int numClasses,
            float[] mean, float[] std) {
        return new ArchitectureSpec("resnet9", width, channels, height, imageWidth, numClasses, mean, std, List.of(
                new StageSpec("stage1", width, false, false),
                new StageSpec("stage2", 2 * width, true, true),
                new StageSpec("stage3", 4 * width, true, false),
                new StageSpec("stage4", 8 * width, true, true)), 0);
    }

    /** A small CNN for 28x28 inputs: stages w (pool), 2w (pool), 4w. */
    public static ArchitectureSpec smallCnn(int width, int channels, int height, int imageWidth, int numClasses,
            float[] mean, float[] std) {
        return new ArchitectureSpec("smallcnn", width, channels, height, imageWidth, numClasses, mean, std, List.of(
                new StageSpec("stage1", width, true, false),
                new StageSpec("stage2", 2 * width, true, false),
                new StageSpec("stage3", 4 * width, false, false)), 0);
    }

    /**
     * The small CNN's stages with a fully connected head: the last stage (4w x 7 x 7 for 28x28 inputs) is
     * flattened into a ReLU layer of {@code hidden} units ({@code features}), then the logits. Keeps where
     * things are, which global pooling throws away; costs few FLOPs.
     */
    public static ArchitectureSpec smallCnnFc(int width, int hidden, int channels, int height, int imageWidth,
            int numClasses, float[] mean, float[] std) {
        return new ArchitectureSpec("smallcnn-fc", width, channels, height, imageWidth, numClasses, mean, std,
                smallCnn(width, channels, height, imageWidth, numClasses, mean, std).stages(), hidden);
    }

    public static ArchitectureSpec of(String family, int width, int channels, int height, int imageWidth,
            int numClasses, float[] mean, float[] std) {
        return switch (family) {
            case "resnet9" -> resnet9(width, channels, height, imageWidth, numClasses, mean, std);
            case "smallcnn" -> smallCnn(width, channels, height, imageWidth, numClasses, mean, std);
            case "smallcnn-fc" -> smallCnnFc(width, FC_HIDDEN, channels, height, imageWidth, numClasses, mean, std);
            default -> throw new IllegalArgumentException("unknown architecture '" + family
                    + "'; known: resnet9, smallcnn, smallcnn-fc");
        };
    }

    /** Hidden units of the {@code smallcnn-fc} head. */
    public static final int FC_HIDDEN = 256;

    public int featureSize() {
        return hidden > 0 ? hidden : stages.get(stages.size() - 1).outChannels();
    }

    /** Values per example entering the head: last stage's C·h·w (flattened) or its C (pooled). */
    public int lastStageSize() {
        StageSpec last = stages.get(stages.size() - 1);
        int[] hw = spatialAfter(stages.size() - 1);
        return last.outChannels() * hw[0] * hw[1];
    }

    /** Spatial size {h, w} after stage {@code index} (0-based). */
    public int[] spatialAfter(int index) {
        int h = height;
        int w = imageWidth;
        for (int i = 0; i <= index; i++) {
            if (stages.get(i).pool()) {
                h /= 2;
                w /= 2;
            }
        }
        return new int[] {h, w};
    }

    public String description() {
        return family + " width " + width + (hidden > 0 ? " hidden " + hidden : "");
    }
}
