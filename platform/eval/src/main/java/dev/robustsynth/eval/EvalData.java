package dev.robustsynth.eval;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.Image;
import dev.robustsynth.trainer.data.Cifar10;
import dev.robustsynth.trainer.data.IdxReader;
import dev.robustsynth.trainer.data.LabeledImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * One data set's held-out test images and a sample of training images (the Fréchet reference row).
 *
 * @param name        {@code fashion} or {@code cifar10}
 * @param classes     class names in label order
 * @param test        the whole test set in a fixed shuffled order
 * @param testLabels  its labels
 * @param train       training images at evenly spaced positions (a reference row, never used to pick anything)
 * @param trainLabels their labels
 */
record EvalData(String name, List<String> classes, List<Image> test, int[] testLabels, List<Image> train,
                int[] trainLabels) {

    EvalData {
        requireNonNull(name, "name is null");
        classes = List.copyOf(classes);
        test = List.copyOf(test);
        train = List.copyOf(train);
        if (testLabels.length != test.size()) {
            throw new IllegalArgumentException(test.size() + " test images but " + testLabels.length + " labels");
        }
        if (trainLabels.length != train.size()) {
            throw new IllegalArgumentException(train.size() + " training images but " + trainLabels.length
                    + " labels");
        }
    }

    /** Where the data lives. */
    record Sources(Path fashionDir, Path cifarArchive, Path cifarCache) {
    }

    static EvalData load(String dataset, Sources sources, int trainImages) throws IOException {
        LabeledImages test;
        LabeledImages train;
        switch (dataset) {
            case "fashion" -> {
                test = IdxReader.fashion(sources.fashionDir(), false);
                train = IdxReader.fashion(sources.fashionDir(), true);
            }
            case "cifar10" -> {
                test = Cifar10.load(sources.cifarArchive(), sources.cifarCache(), false, 0);
                train = Cifar10.load(sources.cifarArchive(), sources.cifarCache(), true, 0);
            }
            default -> throw new IllegalArgumentException("unknown data set '" + dataset + "'; known: fashion, cifar10");
        }
        List<Image> testImages = images(test, test.count());
        int[] testLabels = test.labels(0, test.count());
        // a fixed shuffle: the tasks take the first n test images, and CIFAR-10's split is stored class by class
        List<Integer> order = new ArrayList<>(IntStream.range(0, testImages.size()).boxed().toList());
        Collections.shuffle(order, new Random(TEST_ORDER_SEED));
        List<Image> shuffled = new ArrayList<>(order.size());
        int[] shuffledLabels = new int[order.size()];
        for (int i = 0; i < order.size(); i++) {
            shuffled.add(testImages.get(order.get(i)));
            shuffledLabels[i] = testLabels[order.get(i)];
        }
        LabeledImages sample = train.spread(trainImages);
        return new EvalData(dataset, test.classes(), shuffled, shuffledLabels, images(sample, sample.count()),
                sample.labels(0, sample.count()));
    }

    private static final long TEST_ORDER_SEED = 2019;

    static List<Image> images(LabeledImages data, int n) {
        int size = data.imageSize();
        float[] all = data.toFloats(0, n);
        List<Image> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] pixels = new float[size];
            System.arraycopy(all, i * size, pixels, 0, size);
            out.add(new Image(data.channels(), data.height(), data.width(), pixels));
        }
        return out;
    }

    int channels() {
        return test.get(0).channels();
    }

    int height() {
        return test.get(0).height();
    }

    int width() {
        return test.get(0).width();
    }
}
