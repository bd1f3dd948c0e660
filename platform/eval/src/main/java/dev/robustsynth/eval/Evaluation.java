package dev.robustsynth.eval;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.pgd.Resample;
import dev.robustsynth.eval.Judge.Judgement;
import dev.robustsynth.eval.PluginRunner.Job;
import dev.robustsynth.eval.Results.Measure;
import dev.robustsynth.eval.Results.Row;
import dev.robustsynth.eval.Results.Section;
import dev.robustsynth.spi.Image;
import dev.robustsynth.spi.LayerInfo;
import dev.robustsynth.spi.ResultImage;
import dev.robustsynth.spi.TaskResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The six tasks on one data set: each run through the real plugins on the robust model and on its standard twin,
 * beside the trivial baseline, all scored by the independent judge. Every task uses held-out test images (the
 * first {@code n} of the shuffled test set) and the plugins' defaults, except the knobs a sweep sets; each task
 * reports its class evidence (low-pass agreement) and a second axis for what the task must keep.
 */
final class Evaluation {
    private static final int GRID_SCALE = 3;
    private static final int GRID_COLUMNS = 12;

    private final EvalData data;
    private final Judge judge;
    private final PluginRunner runner;
    private final String robust;
    private final String standard;
    private final Path gridDir;
    private final Judgement testJudgement;

    /**
     * @param gridDir where grids go; null for a sweep point: no grids and none of the reference rows that cost
     *                extra plugin runs (mixture seeds, plain generations)
     */
    Evaluation(EvalData data, Judge judge, PluginRunner runner, String robust, String standard, Path gridDir)
            throws Exception {
        this.data = data;
        this.judge = judge;
        this.runner = runner;
        this.robust = robust;
        this.standard = standard;
        this.gridDir = gridDir;
        this.testJudgement = judge.judge(data.test());
    }

    double judgeAccuracy() {
        return Metrics.agreement(testJudgement, data.testLabels());
    }

    double judgeLowPassAccuracy() throws Exception {
        return Metrics.agreement(judge.judge(Metrics.lowPass(data.test())), data.testLabels());
    }

    private boolean full() {
        return gridDir != null;
    }

    private String className(int k) {
        return data.classes().get(k);
    }

    private String gridName(String task) {
        return full() ? data.name() + "-" + task + ".png" : null;
    }

    private void grid(String task, List<List<Image>> rows) throws Exception {
        if (full()) {
            Grid.write(gridDir.resolve(gridName(task)), rows, GRID_SCALE);
        }
    }

    private static Map<String, Object> with(Map<String, Object> params, Map<String, Object> knobs) {
        Map<String, Object> out = new LinkedHashMap<>(params);
        out.putAll(knobs);
        return out;
    }

    /** Runs one task: {@code perClass} images per class for generation, the first {@code n} test images otherwise. */
    Section run(String task, int perClass, int n, long seed, Map<String, Object> knobs) throws Exception {
        return switch (task) {
            case "generate" -> generate(perClass, seed * 1_000_003L, knobs);
            case "inpaint" -> inpaint(n, seed * 2_000_003L, knobs);
            case "superres" -> superres(n, seed * 3_000_017L, knobs);
            case "translate" -> translate(n, seed * 4_000_037L, knobs);
            case "sketch" -> sketch(n, seed * 5_000_011L, knobs);
            case "paint" -> paint(n, seed * 6_000_007L, knobs);
            default -> throw new IllegalArgumentException("unknown task " + task);
        };
    }

    // ---------------------------------------------------------------- generate

    Section generate(int perClass, long seed, Map<String, Object> knobs) throws Exception {
        int k = data.classes().size();
        Map<String, List<TaskResult>> byModel = new LinkedHashMap<>();
        for (String model : List.of(standard, robust)) {
            byModel.put(model, runner.runAll(generateJobs(model, perClass, "gaussian", seed, knobs)));
        }
        int[] wanted = new int[k * perClass];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < perClass; i++) {
                wanted[c * perClass + i] = c;
            }
        }
        List<Image> seeds = images(byModel.get(robust), "seed");
        List<Image> standardImages = images(byModel.get(standard), "result");
        List<Image> robustImages = images(byModel.get(robust), "result");

        int real = Math.min(wanted.length, data.train().size());
        List<Image> train = new ArrayList<>(real);
        int[] trainLabels = new int[real];
        for (int i = 0; i < real; i++) {
            int at = (int) ((long) i * data.train().size() / real);
            train.add(data.train().get(at));
            trainLabels[i] = data.trainLabels()[at];
        }
        List<Row> rows = new ArrayList<>();
        rows.add(generationRow("raw seeds (one Gaussian per class)", "baseline", seeds, seeds, wanted));
        rows.add(generationRow(String.format(Locale.ROOT, "%,d real training images", real), "reference",
                train, null, trainLabels));
        rows.add(generationRow("standard (" + standard + ")", "standard", standardImages, seeds, wanted));
        rows.add(generationRow("robust (" + robust + ")", "robust", robustImages, seeds, wanted));
        List<String> notes = new ArrayList<>();
        List<List<Image>> grid = new ArrayList<>();
        grid.add(firstPerClass(seeds, perClass, 2));
        grid.add(firstPerClass(standardImages, perClass, 2));
        grid.add(firstPerClass(robustImages, perClass, 2));
        List<String> gridRows = new ArrayList<>(List.of("raw seeds", "standard model", "robust model"));
        if (full()) {
            List<TaskResult> mixture = runner.runAll(generateJobs(robust, perClass, "mixture", seed, knobs));
            int components = intMeta(mixture.get(0), "seedComponents", 1);
            String usedKind = String.valueOf(mixture.get(0).images().get(0).metadata().getOrDefault("seedKind", "?"));
            if (usedKind.equals("mixture")) {
                List<Image> mixtureSeeds = images(mixture, "seed");
                List<Image> mixtureImages = images(mixture, "result");
                rows.add(generationRow("raw mixture seeds (" + components + " components per class)", "baseline",
                        mixtureSeeds, mixtureSeeds, wanted));
                rows.add(generationRow("robust, mixture seeds", "robust", mixtureImages, mixtureSeeds, wanted));
                grid.add(firstPerClass(mixtureImages, perClass, 2));
                gridRows.add("robust model from mixture seeds");
            } else {
                notes.add("The robust model ships no seed mixture (seedKind used: " + usedKind
                        + "), so the mixture comparison was not run.");
            }
        }
        grid("generate", grid);
        String setup = perClass + " images per class (" + wanted.length + " in all) from the same seeds for both models,"
                + " generate plugin defaults (the model card's synthesis eps, step size and steps)" + knobNote(knobs)
                + "; agreement with the requested class; Fréchet distance in the judge's features against the whole"
                + " test set (the real-image row has as many images as each model, so the bias of a small sample is"
                + " the same); within-class spread = mean pairwise distance of unit-length judge features within a class"
                + " over the same for the test images of that class, averaged over classes. Grid: two images per class, classes"
                + " left to right.";
        return new Section("generate", setup, rows, gridName("generate"), gridRows, notes);
    }

    private List<Job> generateJobs(String model, int perClass, String seedKind, long seed, Map<String, Object> knobs) {
        List<Job> jobs = new ArrayList<>();
        for (int c = 0; c < data.classes().size(); c++) {
            jobs.add(new Job("generate", model, with(Map.of("class", className(c), "count", perClass, "seedKind",
                    seedKind, "returnSeeds", true), knobs), Map.of(), seed + c));
        }
        return jobs;
    }

    private Row generationRow(String method, String kind, List<Image> images, List<Image> start, int[] labels)
            throws Exception {
        Judgement j = judge.judge(images);
        Map<Measure, Double> values = new EnumMap<>(Measure.class);
        values.put(Measure.LOW_PASS_AGREEMENT, Metrics.agreement(judge.judge(Metrics.lowPass(images)), labels));
        values.put(Measure.AGREEMENT, Metrics.agreement(j, labels));
        values.put(Measure.INCEPTION_SCORE, Metrics.inceptionScore(j.probabilities()));
        values.put(Measure.FRECHET, FrechetDistance.between(j.features(), testJudgement.features()));
        values.put(Measure.SPREAD, Metrics.spreadRatio(j.features(), labels, testJudgement.features(),
                data.testLabels(), data.classes().size()));
        if (start != null) {
            values.put(Measure.L2_MOVED, Metrics.meanL2(images, start));
        }
        return Row.of(method, kind, images.size(), values);
    }

    private static List<Image> firstPerClass(List<Image> images, int perClass, int n) {
        List<Image> out = new ArrayList<>();
        for (int c = 0; c * perClass < images.size(); c++) {
            for (int i = 0; i < n; i++) {
                out.add(images.get(c * perClass + i));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- inpaint

    Section inpaint(int n, long seed, Map<String, Object> knobs) throws Exception {
        int size = data.height() * 3 / 8;
        Random random = new Random(seed);
        List<Image> masks = new ArrayList<>();
        Map<String, List<Job>> jobs = new LinkedHashMap<>();
        jobs.put(standard, new ArrayList<>());
        jobs.put(robust, new ArrayList<>());
        for (int i = 0; i < n; i++) {
            int x = random.nextInt(data.width() - size + 1);
            int y = random.nextInt(data.height() - size + 1);
            masks.add(square(x, y, size));
            Map<String, Object> params = with(Map.of("hole", Map.of("size", size, "x", x, "y", y),
                    "class", className(data.testLabels()[i])), knobs);
            for (String model : jobs.keySet()) {
                jobs.get(model).add(new Job("inpaint", model, params, Map.of("image", data.test().get(i)), seed + i));
            }
        }
        List<TaskResult> standardResults = runner.runAll(jobs.get(standard));
        List<TaskResult> robustResults = runner.runAll(jobs.get(robust));
        List<Image> truth = data.test().subList(0, n);
        List<Image> corrupted = images(robustResults, "corrupted");
        List<Image> known = masks.stream().map(Metrics::complement).toList();
        int[] labels = labels(n);
        List<Row> rows = new ArrayList<>();
        rows.add(inpaintRow("mean fill (baseline)", "baseline", corrupted, labels, truth, masks, known, corrupted));
        rows.add(inpaintRow("original image (truth)", "reference", truth, labels, truth, masks, known, corrupted));
        rows.add(inpaintRow("standard (" + standard + ")", "standard", images(standardResults, "result"), labels,
                truth, masks, known, corrupted));
        rows.add(inpaintRow("robust (" + robust + ")", "robust", images(robustResults, "result"), labels, truth,
                masks, known, corrupted));
        grid("inpaint", List.of(head(truth), head(corrupted), head(images(standardResults, "result")),
                head(images(robustResults, "result"))));
        String setup = n + " test images, a " + size + "×" + size + " hole at a random position (mean fill), the true"
                + " class given, inpaint plugin defaults (λ on the known pixels)" + knobNote(knobs) + "; agreement"
                + " with the true class; PSNR inside the hole against the original; known-pixel PSNR = PSNR outside"
                + " the hole against the original (what the fill must leave alone); L2 moved from the corrupted image.";
        return new Section("inpaint", setup, rows, gridName("inpaint"),
                List.of("original", "corrupted (mean fill)", "standard model", "robust model"), List.of());
    }

    private Row inpaintRow(String method, String kind, List<Image> images, int[] labels, List<Image> truth,
                           List<Image> holes, List<Image> known, List<Image> start) throws Exception {
        return editRow(method, kind, images, labels, start)
                .with(Measure.PSNR, Metrics.meanPsnr(images, truth, holes))
                .with(Measure.KNOWN_PSNR, Metrics.meanPsnr(images, truth, known));
    }

    private Image square(int x0, int y0, int size) {
        float[] m = new float[data.height() * data.width()];
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                m[y * data.width() + x] = 1;
            }
        }
        return new Image(1, data.height(), data.width(), m);
    }

    /** Agreement (after the low-pass and plain) with the wanted classes, and the L2 moved from the start images. */
    private Row editRow(String method, String kind, List<Image> images, int[] wanted, List<Image> start)
            throws Exception {
        Map<Measure, Double> values = new EnumMap<>(Measure.class);
        values.put(Measure.LOW_PASS_AGREEMENT, Metrics.agreement(judge.judge(Metrics.lowPass(images)), wanted));
        values.put(Measure.AGREEMENT, Metrics.agreement(judge.judge(images), wanted));
        values.put(Measure.L2_MOVED, Metrics.meanL2(images, start));
        return Row.of(method, kind, images.size(), values);
    }

    // ---------------------------------------------------------------- superres

    static final int SUPERRES_FACTOR = 4;

    Section superres(int n, long seed, Map<String, Object> knobs) throws Exception {
        int factor = SUPERRES_FACTOR;
        List<Image> truth = data.test().subList(0, n);
        List<Image> low = truth.stream().map(img -> Metrics.areaDown(img, factor)).toList();
        List<Image> nearest = low.stream().map(img -> ImageCodec.resize(img, data.height(), data.width(),
                Resample.NEAREST)).toList();
        List<Image> bicubic = low.stream().map(img -> ImageCodec.resize(img, data.height(), data.width(),
                Resample.BICUBIC)).toList();
        Map<String, List<Image>> produced = new LinkedHashMap<>();
        for (String model : List.of(standard, robust)) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                jobs.add(new Job("superres", model, with(Map.of("factor", factor), knobs),
                        Map.of("image", low.get(i)), seed + i));
            }
            produced.put(model, images(runner.runAll(jobs), "result"));
        }
        int[] labels = labels(n);
        List<Row> rows = new ArrayList<>();
        rows.add(superresRow("nearest upsampling (baseline)", "baseline", nearest, labels, truth, low, nearest));
        rows.add(superresRow("bicubic upsampling (baseline)", "baseline", bicubic, labels, truth, low, nearest));
        rows.add(superresRow("original image (truth)", "reference", truth, labels, truth, low, nearest));
        rows.add(superresRow("standard (" + standard + ")", "standard", produced.get(standard), labels, truth, low,
                nearest));
        rows.add(superresRow("robust (" + robust + ")", "robust", produced.get(robust), labels, truth, low, nearest));
        grid("superres", List.of(head(truth), head(nearest), head(bicubic), head(produced.get(standard)),
                head(produced.get(robust))));
        String setup = n + " test images area-averaged ×" + factor + " down (" + data.width() / factor + "×"
                + data.height() / factor + "), then ×" + factor + " up: nearest, bicubic, or the superres plugin"
                + " (its defaults: bilinear start, steps toward the model's predicted class" + knobNote(knobs) + ");"
                + " agreement with the true class; PSNR against the original; consistency PSNR = the output"
                + " area-averaged ×" + factor + " down against the low-resolution input (99 = exact); L2 moved from"
                + " the nearest upsampling.";
        return new Section("superres", setup, rows, gridName("superres"),
                List.of("original", "nearest", "bicubic", "standard model", "robust model"), List.of());
    }

    private Row superresRow(String method, String kind, List<Image> images, int[] labels, List<Image> truth,
                            List<Image> low, List<Image> start) throws Exception {
        double consistency = 0;
        for (int i = 0; i < images.size(); i++) {
            consistency += Metrics.consistencyPsnr(images.get(i), low.get(i), SUPERRES_FACTOR);
        }
        return editRow(method, kind, images, labels, start)
                .with(Measure.PSNR, Metrics.meanPsnr(images, truth, null))
                .with(Measure.CONSISTENCY, consistency / images.size());
    }

    // ---------------------------------------------------------------- translate and sketch

    Section translate(int n, long seed, Map<String, Object> knobs) throws Exception {
        Random random = new Random(seed);
        int k = data.classes().size();
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            targets[i] = (data.testLabels()[i] + 1 + random.nextInt(k - 1)) % k;
        }
        List<Image> sources = data.test().subList(0, n);
        return classEdit("translate", sources, targets, "unchanged source (baseline)",
                n + " test images, each toward a random other class, translate plugin defaults (ball around the"
                        + " source" + knobNote(knobs) + "); agreement with the target class; source fidelity ="
                        + " SSIM of the low-passed grey output and source; L2 moved from the source.",
                "source", knobs);
    }

    Section sketch(int n, long seed, Map<String, Object> knobs) throws Exception {
        List<Image> drawings = data.test().subList(0, n).stream().map(Evaluation::drawing).toList();
        return classEdit("sketch", drawings, labels(n), "the drawing unchanged (baseline)",
                n + " rough drawings made from test images (3×3 box blur twice, then every channel thresholded at"
                        + " 0.5: flat two-level shapes; for Fashion a silhouette), the true class requested, sketch"
                        + " plugin defaults" + knobNote(knobs) + "; agreement with that class; source fidelity ="
                        + " SSIM of the low-passed grey output and drawing; L2 moved from the drawing.",
                "drawing", knobs);
    }

    private Section classEdit(String type, List<Image> inputs, int[] targets, String baseline, String setup,
                              String inputRole, Map<String, Object> knobs) throws Exception {
        Map<String, List<Image>> produced = new LinkedHashMap<>();
        for (String model : List.of(standard, robust)) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                jobs.add(new Job(type, model, with(Map.of("class", className(targets[i])), knobs),
                        Map.of("image", inputs.get(i)), 7_000L + i));
            }
            produced.put(model, images(runner.runAll(jobs), "result"));
        }
        List<Row> rows = new ArrayList<>();
        rows.add(fidelityRow(baseline, "baseline", inputs, targets, inputs));
        List<List<Image>> grid = new ArrayList<>(List.of(head(inputs)));
        List<String> gridRows = new ArrayList<>(List.of(inputRole));
        if (full()) {
            List<Job> plain = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                plain.add(new Job("generate", robust, Map.of("class", className(targets[i]), "count", 1,
                        "returnSeeds", false), Map.of(), 7_000L + i));
            }
            List<Image> generated = images(runner.runAll(plain), "result");
            rows.add(fidelityRow("plain generation of the class from seeds (robust, reference)", "reference",
                    generated, targets, inputs));
            grid.add(head(generated));
            gridRows.add("plain generation of the class (robust)");
        }
        rows.add(fidelityRow("standard (" + standard + ")", "standard", produced.get(standard), targets, inputs));
        rows.add(fidelityRow("robust (" + robust + ")", "robust", produced.get(robust), targets, inputs));
        grid.add(head(produced.get(standard)));
        grid.add(head(produced.get(robust)));
        gridRows.addAll(List.of("standard model", "robust model"));
        grid(type, grid);
        List<String> targetNames = new ArrayList<>();
        for (int i = 0; i < Math.min(GRID_COLUMNS, targets.length); i++) {
            targetNames.add(className(targets[i]));
        }
        return new Section(type, setup, rows, gridName(type), gridRows,
                List.of("Grid targets, left to right: " + String.join(", ", targetNames) + "."));
    }

    private Row fidelityRow(String method, String kind, List<Image> images, int[] targets, List<Image> inputs)
            throws Exception {
        return editRow(method, kind, images, targets, inputs)
                .with(Measure.FIDELITY, Metrics.meanSourceFidelity(images, inputs));
    }

    static Image drawing(Image image) {
        Image blurred = boxBlur(boxBlur(image));
        float[] p = blurred.pixels().clone();
        for (int i = 0; i < p.length; i++) {
            p[i] = p[i] >= 0.5f ? 1f : 0f;
        }
        return new Image(image.channels(), image.height(), image.width(), p);
    }

    private static Image boxBlur(Image image) {
        int c = image.channels();
        int h = image.height();
        int w = image.width();
        float[] out = new float[c * h * w];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double sum = 0;
                    int count = 0;
                    for (int dy = -1; dy <= 1; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int yy = y + dy;
                            int xx = x + dx;
                            if (yy >= 0 && yy < h && xx >= 0 && xx < w) {
                                sum += image.at(ch, yy, xx);
                                count++;
                            }
                        }
                    }
                    out[(ch * h + y) * w + x] = (float) (sum / count);
                }
            }
        }
        return new Image(c, h, w, out);
    }

    // ---------------------------------------------------------------- paint

    Section paint(int n, long seed, Map<String, Object> knobs) throws Exception {
        Random random = new Random(seed);
        int k = data.classes().size();
        int side = data.height() / 2;
        String layer = paintLayer();
        List<Map<String, Object>> strokes = new ArrayList<>();
        List<Image> regions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int x = random.nextInt(data.width() - side + 1);
            int y = random.nextInt(data.height() - side + 1);
            int c = (data.testLabels()[i] + 1 + random.nextInt(k - 1)) % k;
            strokes.add(Map.of("box", Map.of("x", x, "y", y, "width", side, "height", side), "class", className(c),
                    "layer", layer));
            regions.add(square(x, y, side));
        }
        List<Image> sources = data.test().subList(0, n);
        Judgement sourceJudgement = judge.judge(sources);
        Map<String, List<Image>> produced = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        rows.add(paintRow("unchanged source (baseline)", "baseline", sources, sources, regions, sourceJudgement));
        for (String model : List.of(standard, robust)) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                jobs.add(new Job("paint", model, with(Map.of("strokes", List.of(strokes.get(i))), knobs),
                        Map.of("image", sources.get(i)), seed + i));
            }
            List<TaskResult> results = runner.runAll(jobs);
            List<Image> images = images(results, "result");
            produced.put(model, images);
            double inside = 0;
            double outside = 0;
            for (TaskResult r : results) {
                Map<?, ?> stroke = firstStroke(r);
                inside += number(stroke, "activationInsideAfter") - number(stroke, "activationInsideBefore");
                outside += number(stroke, "activationOutsideAfter") - number(stroke, "activationOutsideBefore");
            }
            inside /= n;
            outside /= n;
            String kind = model.equals(robust) ? "robust" : "standard";
            rows.add(paintRow(kind + " (" + model + ")", kind, images, sources, regions, sourceJudgement)
                    .with(Measure.GAIN_INSIDE, inside)
                    .with(Measure.GAIN_OUTSIDE, outside)
                    .with(Measure.GAIN_RATIO, inside / Math.abs(outside)));
        }
        grid("paint", List.of(head(sources), head(produced.get(standard)), head(produced.get(robust))));
        List<String> strokeNotes = new ArrayList<>();
        for (int i = 0; i < Math.min(GRID_COLUMNS, n); i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> box = (Map<String, Object>) strokes.get(i).get("box");
            strokeNotes.add(strokes.get(i).get("class") + " at (" + box.get("x") + "," + box.get("y") + ")");
        }
        String setup = n + " test images, one stroke each: a " + side + "×" + side + " box at a random position"
                + " raising the channel of layer " + layer + " (the deepest exposed layer still at least a quarter"
                + " of the input's size, so the region maps onto it) most tied to a random other class (paint plugin"
                + " defaults" + knobNote(knobs) + "); RMS pixel change inside and outside the box and their ratio"
                + " (per pixel, so the box's size does not count); class kept = the judge's top class is the one it"
                + " gives the source; mean activation gain of that channel inside and outside the box (each model in"
                + " its own units, so compare the ratios).";
        return new Section("paint", setup, rows, gridName("paint"), List.of("source", "standard model",
                "robust model"), List.of("Grid strokes, left to right: " + String.join("; ", strokeNotes) + "."));
    }

    private Row paintRow(String method, String kind, List<Image> images, List<Image> sources, List<Image> regions,
                         Judgement sourceJudgement) throws Exception {
        Judgement j = judge.judge(images);
        double in = 0;
        double out = 0;
        int kept = 0;
        for (int i = 0; i < images.size(); i++) {
            in += Metrics.rmsChange(images.get(i), sources.get(i), regions.get(i), true);
            out += Metrics.rmsChange(images.get(i), sources.get(i), regions.get(i), false);
            kept += j.predicted(i) == sourceJudgement.predicted(i) ? 1 : 0;
        }
        int n = images.size();
        Map<Measure, Double> values = new EnumMap<>(Measure.class);
        values.put(Measure.L2_MOVED, Metrics.meanL2(images, sources));
        values.put(Measure.CHANGE_INSIDE, in / n);
        values.put(Measure.CHANGE_OUTSIDE, out / n);
        if (in > 0) {
            values.put(Measure.CHANGE_RATIO, Math.min(Measure.CHANGE_RATIO.ceiling, in / out));
        }
        values.put(Measure.CLASS_KEPT, (double) kept / n);
        return Row.of(method, kind, n, values);
    }

    /** The deepest layer (in model-card order) with a spatial map at least a quarter of the input's side. */
    private String paintLayer() {
        String chosen = null;
        for (LayerInfo layer : runner.model(robust).layers()) {
            int[] shape = layer.shape();
            if (shape.length == 3 && shape[1] * 4 >= data.height() && runner.model(standard).layer(layer.name())
                    .isPresent()) {
                chosen = layer.name();
            }
        }
        if (chosen == null) {
            throw new IllegalStateException("models " + robust + " and " + standard + " share no spatial layer");
        }
        return chosen;
    }

    private static Map<?, ?> firstStroke(TaskResult result) {
        for (ResultImage image : result.images()) {
            if (image.role().equals("result") && image.metadata().get("strokes") instanceof List<?> list
                    && !list.isEmpty() && list.get(0) instanceof Map<?, ?> stroke) {
                return stroke;
            }
        }
        throw new IllegalStateException("paint result without per-stroke metadata: " + result.metadata());
    }

    private static double number(Map<?, ?> map, String key) {
        return map.get(key) instanceof Number n ? n.doubleValue() : 0;
    }

    // ---------------------------------------------------------------- helpers

    private static String knobNote(Map<String, Object> knobs) {
        return knobs.isEmpty() ? "" : ", with " + knobs;
    }

    private static List<Image> head(List<Image> images) {
        return images.subList(0, Math.min(GRID_COLUMNS, images.size()));
    }

    private int[] labels(int n) {
        int[] out = new int[n];
        System.arraycopy(data.testLabels(), 0, out, 0, n);
        return out;
    }

    private static List<Image> images(List<TaskResult> results, String role) {
        List<Image> out = new ArrayList<>();
        for (TaskResult result : results) {
            for (ResultImage image : result.images()) {
                if (image.role().equals(role)) {
                    out.add(image.image());
                }
            }
        }
        return out;
    }

    private static int intMeta(TaskResult result, String key, int fallback) {
        for (ResultImage image : result.images()) {
            if (image.metadata().get(key) instanceof Number n) {
                return n.intValue();
            }
        }
        return fallback;
    }
}
