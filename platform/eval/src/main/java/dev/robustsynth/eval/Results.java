package dev.robustsynth.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one evaluation run measured, as written to {@code docs/eval/<data set>.json} and rendered into the report. */
final class Results {
    private Results() {
    }

    /** The measures a row can carry; each task fills the ones that apply. */
    enum Measure {
        LOW_PASS_AGREEMENT("agreement after 2× low-pass", true),
        AGREEMENT("plain agreement", true),
        INCEPTION_SCORE("IS-style score", false),
        FRECHET("Fréchet distance to test set", false),
        SPREAD("within-class spread vs real", false),
        PSNR("PSNR vs original (dB)", false, 99),
        KNOWN_PSNR("known-pixel PSNR (dB)", false, 99),
        CONSISTENCY("consistency PSNR (dB)", false, 99),
        FIDELITY("source fidelity (SSIM)", false),
        L2_MOVED("mean L2 moved", false),
        CHANGE_INSIDE("RMS change inside", false),
        CHANGE_OUTSIDE("RMS change outside", false),
        CHANGE_RATIO("inside / outside change", false, 1000),
        CLASS_KEPT("class kept", true),
        GAIN_INSIDE("activation gain inside", false),
        GAIN_OUTSIDE("activation gain outside", false),
        GAIN_RATIO("inside / outside gain", false);

        final String title;
        final boolean percent;
        /** The value that stands for "exact" (nothing left to measure); plots leave such points out. */
        final double ceiling;

        Measure(String title, boolean percent) {
            this(title, percent, Double.POSITIVE_INFINITY);
        }

        Measure(String title, boolean percent, double ceiling) {
            this.title = title;
            this.percent = percent;
            this.ceiling = ceiling;
        }
    }

    /**
     * One method's numbers on one task.
     *
     * @param method what produced the images, e.g. {@code robust (cifar10-robust-l2)} or {@code mean fill}
     * @param kind   {@code robust}, {@code standard}, {@code baseline} or {@code reference}
     * @param images how many images the numbers are over
     * @param values measure name → value (agreements as fractions)
     */
    record Row(String method, String kind, int images, Map<String, Double> values) {
        Row {
            values = new LinkedHashMap<>(values);
        }

        static Row of(String method, String kind, int images, Map<Measure, Double> values) {
            Map<String, Double> named = new LinkedHashMap<>();
            values.forEach((m, v) -> named.put(m.name(), v));
            return new Row(method, kind, images, named);
        }

        Double value(Measure measure) {
            return values.get(measure.name());
        }

        Row with(Measure measure, double value) {
            Row out = new Row(method, kind, images, values);
            out.values.put(measure.name(), value);
            return out;
        }
    }

    /**
     * One task on one data set.
     *
     * @param task      the task type
     * @param setup     a sentence on inputs, targets and settings
     * @param rows      baselines and references first, then standard, then robust
     * @param grid      the grid's file name under docs/eval
     * @param gridRows  what each row of the grid shows, top to bottom
     * @param notes     extra observations measured in the run
     */
    record Section(String task, String setup, List<Row> rows, String grid, List<String> gridRows, List<String> notes) {
    }

    /**
     * One data set's evaluation.
     *
     * @param dataset        {@code fashion} or {@code cifar10}
     * @param robust         the robust model's name
     * @param standard       its standard twin's name
     * @param judge          the judge's name
     * @param judgeAccuracy  the judge's test accuracy (whole test set)
     * @param judgeLowPassAccuracy the judge's accuracy on low-passed test images
     * @param seconds        wall time of the run
     * @param sections       one per task
     */
    record DatasetReport(String dataset, String robust, String standard, String judge, double judgeAccuracy,
                         double judgeLowPassAccuracy, long seconds, String date, List<Section> sections) {
    }
}
