package dev.robustsynth.eval;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.spi.Image;
import dev.robustsynth.trainer.data.Cifar10;
import dev.robustsynth.trainer.data.IdxReader;
import dev.robustsynth.trainer.data.LabeledImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One data set's held-out test images and a sample of training images (the Fréchet reference row).
 *
 * @param name        {@code fashion} or {@code cifar10}
 * @param classes     class names in label order
 * @param test        the test set in file order
 * @param testLabels  its labels
 * @param train       the first training images (a reference row, never used to pick anything)
 */
record EvalData(String name, List<String> classes, List<Image> test, int[] testLabels, List<Image> train) {

    EvalData {
        requireNonNull(name, "name is null");
        classes = List.copyOf(classes);
        test = List.copyOf(test);
        train = List.copyOf(train);
        if (testLabels.length != test.size()) {
            throw new IllegalArgumentException(test.size() + " test images but " + testLabels.length + " labels");
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
        return new EvalData(dataset, test.classes(), images(test, test.count()), test.labels(0, test.count()),
                images(train, Math.min(trainImages, train.count())));
    }

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
