package dev.robustsynth.eval;

import dev.robustsynth.eval.Results.Measure;
import dev.robustsynth.eval.Results.Row;
import dev.robustsynth.eval.Results.Section;
import dev.robustsynth.spi.SynthesisDefaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Sweeps of each task's strength knobs on one data set, for the robust model and its twin, with each task's two
 * axes; written to {@code docs/eval/<data set>-sweep.json} point by point, so a run that stops resumes where it
 * stopped. {@link #knee} applies the rule that picks the defaults.
 */
final class Sweep {
    /**
     * Points whose agreement is at most this far below the best agreement of the task are eligible: about two
     * binomial standard errors at the sweep's 40–100 images per point (one is 4–6 points at 80 %), so the knee does
     * not pick sampling noise.
     */
    static final double KNEE_MARGIN = 0.10;
    /** Painting: the inside/outside change ratio a setting must reach, and the RMS change inside a person sees. */
    static final double PAINT_MIN_RATIO = 5;
    static final double PAINT_MIN_CHANGE = 0.2;

    private Sweep() {
    }

    /**
     * The measures a task is judged on: class evidence (or, for painting, visible change) and what it must keep.
     * Second-axis values beyond {@code enough} count as equal; ties go to the higher {@code tieBreak}.
     */
    record Axes(Measure primary, Measure second, boolean lowerIsBetter, double enough, Measure tieBreak) {
        Axes(Measure primary, Measure second, boolean lowerIsBetter) {
            this(primary, second, lowerIsBetter, lowerIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY,
                    primary);
        }

        /** The second axis as a score where higher is better. */
        double score(Row row) {
            double v = row.value(second);
            return lowerIsBetter ? -Math.max(v, enough) : Math.min(v, enough);
        }
    }

    /** Consistency PSNR beyond this (an RMS block-mean error under 1 %) is invisible. */
    static final double CONSISTENCY_ENOUGH = 40;
    /**
     * Known-pixel PSNR beyond this (an RMS error under 1 %) is invisible; without the cap the mean fill, which
     * changes nothing, would be the ideal and the knee would go to the strongest anchor.
     */
    static final double KNOWN_ENOUGH = 40;

    static Axes axes(String task) {
        return switch (task) {
            case "generate" -> new Axes(Measure.LOW_PASS_AGREEMENT, Measure.FRECHET, true);
            case "inpaint" -> new Axes(Measure.LOW_PASS_AGREEMENT, Measure.KNOWN_PSNR, false, KNOWN_ENOUGH,
                    Measure.LOW_PASS_AGREEMENT);
            case "superres" -> new Axes(Measure.LOW_PASS_AGREEMENT, Measure.CONSISTENCY, false, CONSISTENCY_ENOUGH,
                    Measure.PSNR);
            case "translate", "sketch" -> new Axes(Measure.LOW_PASS_AGREEMENT, Measure.FIDELITY, false);
            case "paint" -> new Axes(Measure.CHANGE_INSIDE, Measure.CHANGE_RATIO, false);
            default -> throw new IllegalArgumentException("unknown task " + task);
        };
    }

    /** One setting of one knob: the request parameters it sets on every item. */
    record Setting(String knob, String label, Map<String, Object> params) {
    }

    /**
     * One row measured at one setting.
     *
     * @param task    the task type
     * @param knob    the knob swept
     * @param setting the setting's label
     * @param params  the request parameters of the setting
     * @param row     the method's numbers
     */
    record Point(String task, String knob, String setting, Map<String, Object> params, Row row) {
    }

    /**
     * One data set's sweep.
     *
     * @param dataset  {@code fashion} or {@code cifar10}
     * @param perClass generated images per class at each point
     * @param perTask  test images at each point of the other tasks
     * @param points   every row of every setting done, in the order measured
     * @param seconds  wall time of each setting, by "task/knob/setting"
     */
    record Results(String dataset, int perClass, int perTask, List<Point> points, Map<String, Long> seconds) {
        Results {
            points = new ArrayList<>(points);
            seconds = new LinkedHashMap<>(seconds);
        }

        boolean done(String task, Setting s) {
            return seconds.containsKey(key(task, s));
        }
    }

    private static String key(String task, Setting s) {
        return task + "/" + s.knob() + "/" + s.label();
    }

    /**
     * The settings swept for a task, in absolute units from the model card's synthesis defaults (eps, step size,
     * steps). Each knob is swept alone with the others at the plugin's default.
     */
    static List<Setting> settings(String task, SynthesisDefaults d) {
        List<Setting> out = new ArrayList<>();
        switch (task) {
            case "generate" -> {
                sweep(out, "steps", 10, 20, 40, 60);
                sweep(out, "stopAt", 0.5, 0.99, 1.0);
            }
            case "inpaint" -> sweep(out, "lambda", 1.0, 3.0, 10.0, 30.0);
            case "superres" -> {
                for (double m : new double[] {0.1, 0.2, 0.5, 1.0}) {
                    out.add(setting("eps", round(m * d.eps())));
                }
                sweep(out, "consistency", false);
            }
            case "translate", "sketch" -> {
                sweep(out, "steps", 10, 30);
                sweep(out, "layoutLambda", 0.0, 2.0, 8.0, 32.0);
            }
            case "paint" -> {
                sweep(out, "lambda", 0.0, 1.0, 10.0);
                sweep(out, "feather", 0, 3);
                sweep(out, "stepSize", 1.0, 2.0);
            }
            default -> throw new IllegalArgumentException("unknown task " + task);
        }
        return out;
    }

    private static void sweep(List<Setting> out, String param, Object... values) {
        for (Object v : values) {
            out.add(setting(param, v));
        }
    }

    private static Setting setting(String param, Object value) {
        return new Setting(param, param + " " + value, Map.of(param, value));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static Results load(Path file, String dataset, int perClass, int perTask) throws IOException {
        if (Files.isRegularFile(file)) {
            Results r = Report.JSON.readValue(file.toFile(), Results.class);
            if (r.perClass() == perClass && r.perTask() == perTask) {
                return r;
            }
            throw new IllegalStateException(file + " was swept with --per-class " + r.perClass() + " --per-task "
                    + r.perTask() + "; pass the same sizes to resume, or move the file away");
        }
        return new Results(dataset, perClass, perTask, List.of(), Map.of());
    }

    /** Runs every setting of the tasks not yet in {@code results}, saving after each. */
    static Results run(Evaluation evaluation, List<String> tasks, SynthesisDefaults defaults, Results results,
                       long seed, Path file, Consumer<String> log) throws Exception {
        for (String task : tasks) {
            for (Setting s : settings(task, defaults)) {
                if (results.done(task, s)) {
                    continue;
                }
                long t0 = System.nanoTime();
                Section section = evaluation.run(task, results.perClass(), results.perTask(), seed, s.params());
                for (Row row : section.rows()) {
                    results.points().add(new Point(task, s.knob(), s.label(), s.params(), row));
                }
                long seconds = Math.round((System.nanoTime() - t0) / 1e9);
                results.seconds().put(key(task, s), seconds);
                Report.JSON.writeValue(file.toFile(), results);
                log.accept(String.format(Locale.ROOT, "%s sweep %s %s: %d s", results.dataset(), task, s.label(),
                        seconds));
            }
        }
        return results;
    }

    /**
     * The knee of one model's sweep of one task. Generation, inpainting and super-resolution: of the points within
     * {@link #KNEE_MARGIN} of the best agreement, the one with the best second axis (then the best tie-break).
     * Translation and sketch, whose two axes both lie in [0, 1] and trade off over the whole range (a margin on
     * agreement would let agreement alone decide): the largest product of agreement and source fidelity, which is
     * small for the unchanged source and for a class prototype that ignores it. Painting: of the points whose
     * change is local (inside/outside ratio at least {@link #PAINT_MIN_RATIO}) and visible (RMS change inside at
     * least {@link #PAINT_MIN_CHANGE}), the one whose judge keeps the image's class most often (ties to the larger
     * ratio); the most local point when none is both.
     */
    static Optional<Point> knee(List<Point> points, String task, String kind) {
        Axes axes = axes(task);
        List<Point> own = points.stream().filter(p -> p.task().equals(task) && p.row().kind().equals(kind)
                && p.row().value(axes.primary()) != null && p.row().value(axes.second()) != null)
                .toList();
        if (own.isEmpty()) {
            return Optional.empty();
        }
        switch (task) {
            case "paint" -> {
                List<Point> eligible = own.stream().filter(p -> p.row().value(Measure.CHANGE_RATIO) >= PAINT_MIN_RATIO
                        && p.row().value(Measure.CHANGE_INSIDE) >= PAINT_MIN_CHANGE).toList();
                Comparator<Point> ratio = Comparator.comparingDouble(p -> p.row().value(Measure.CHANGE_RATIO));
                return eligible.isEmpty() ? own.stream().max(ratio) : eligible.stream().max(Comparator
                        .<Point>comparingDouble(p -> p.row().value(Measure.CLASS_KEPT)).thenComparing(ratio));
            }
            case "translate", "sketch" -> {
                return own.stream().max(Comparator.comparingDouble(p -> p.row().value(axes.primary())
                        * p.row().value(axes.second())));
            }
            default -> {
                double best = own.stream().mapToDouble(p -> p.row().value(axes.primary())).max().orElseThrow();
                Comparator<Point> order = Comparator.<Point>comparingDouble(p -> axes.score(p.row()))
                        .thenComparingDouble(p -> p.row().value(axes.tieBreak()));
                return own.stream().filter(p -> p.row().value(axes.primary()) >= best - KNEE_MARGIN - 1e-9)
                        .max(order);
            }
        }
    }
}
