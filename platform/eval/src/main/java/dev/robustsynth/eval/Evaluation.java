package dev.robustsynth.eval;

import dev.robustsynth.engine.image.ImageCodec;
import dev.robustsynth.engine.image.ResizeMethod;
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
import java.util.Map;
import java.util.Random;

/**
 * The six tasks on one data set: each run through the real plugins on the robust model and on its standard twin,
 * beside the trivial baseline, all scored by the independent judge. Every task uses held-out test images (the
 * first {@code perTask} of the shuffled test set) and the plugins' default step settings, as a user would get them.
 */
final class Evaluation {
    private static final int GRID_SCALE = 3;

    private final EvalData data;
    private final Judge judge;
    private final PluginRunner runner;
    private final String robust;
    private final String standard;
    private final Path gridDir;
    private final Judgement testJudgement;

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

    private String className(int k) {
        return data.classes().get(k);
    }

    private String gridName(String task) {
        return data.name() + "-" + task + ".png";
    }

    // ---------------------------------------------------------------- generate

    Section generate(int perClass, long seed) throws Exception {
        int k = data.classes().size();
        Map<String, List<TaskResult>> byModel = new LinkedHashMap<>();
        for (String model : List.of(standard, robust)) {
            byModel.put(model, runner.runAll(generateJobs(model, perClass, "gaussian", seed)));
        }
        List<TaskResult> mixture = runner.runAll(generateJobs(robust, perClass, "mixture", seed));
        int[] wanted = new int[k * perClass];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < perClass; i++) {
                wanted[c * perClass + i] = c;
            }
        }
        List<Image> seeds = images(byModel.get(robust), "seed");
        List<Image> standardImages = images(byModel.get(standard), "result");
        List<Image> robustImages = images(byModel.get(robust), "result");
        List<Image> mixtureSeeds = images(mixture, "seed");
        List<Image> mixtureImages = images(mixture, "result");
        int components = intMeta(mixture.get(0), "seedComponents", 1);
        String usedKind = String.valueOf(mixture.get(0).images().get(0).metadata().getOrDefault("seedKind", "?"));

        float[][] testFeatures = testJudgement.features();
        List<Row> rows = new ArrayList<>();
        rows.add(generationRow("raw seeds (one Gaussian per class)", "baseline", seeds, seeds, wanted, testFeatures));
        rows.add(generationRow("1,000 real training images", "reference",
                data.train().subList(0, Math.min(1000, data.train().size())), null, null, testFeatures));
        rows.add(generationRow("standard (" + standard + ")", "standard", standardImages, seeds, wanted,
                testFeatures));
        rows.add(generationRow("robust (" + robust + ")", "robust", robustImages, seeds, wanted, testFeatures));
        List<String> notes = new ArrayList<>();
        if (usedKind.equals("mixture")) {
            rows.add(generationRow("raw mixture seeds (" + components + " components per class)", "baseline",
                    mixtureSeeds, mixtureSeeds, wanted, testFeatures));
            rows.add(generationRow("robust, mixture seeds", "robust", mixtureImages, mixtureSeeds, wanted,
                    testFeatures));
        } else {
            notes.add("The robust model ships no seed mixture (seedKind used: " + usedKind
                    + "), so the mixture comparison was not run.");
        }

        List<List<Image>> grid = new ArrayList<>();
        grid.add(firstPerClass(seeds, perClass, 2));
        grid.add(firstPerClass(standardImages, perClass, 2));
        grid.add(firstPerClass(robustImages, perClass, 2));
        List<String> gridRows = new ArrayList<>(List.of("raw seeds", "standard model", "robust model"));
        if (usedKind.equals("mixture")) {
            grid.add(firstPerClass(mixtureImages, perClass, 2));
            gridRows.add("robust model from mixture seeds");
        }
        Grid.write(gridDir.resolve(gridName("generate")), grid, GRID_SCALE);
        String setup = perClass + " images per class (" + wanted.length + " in all) from the same seeds for both models,"
                + " generate plugin defaults (the model card's synthesis eps, step size and steps); agreement with the"
                + " requested class; Fréchet distance in the judge's features against the whole test set. Grid: two"
                + " images per class, classes left to right.";
        return new Section("generate", setup, rows, gridName("generate"), gridRows, notes);
    }

    private List<Job> generateJobs(String model, int perClass, String seedKind, long seed) {
        List<Job> jobs = new ArrayList<>();
        for (int c = 0; c < data.classes().size(); c++) {
            jobs.add(new Job("generate", model, Map.of("class", className(c), "count", perClass, "seedKind", seedKind,
                    "returnSeeds", true), Map.of(), seed + c));
        }
        return jobs;
    }

    private Row generationRow(String method, String kind, List<Image> images, List<Image> start, int[] wanted,
                              float[][] testFeatures) throws Exception {
        Judgement j = judge.judge(images);
        Map<Measure, Double> values = new EnumMap<>(Measure.class);
        if (wanted != null) {
            values.put(Measure.LOW_PASS_AGREEMENT, Metrics.agreement(judge.judge(Metrics.lowPass(images)), wanted));
            values.put(Measure.AGREEMENT, Metrics.agreement(j, wanted));
        }
        values.put(Measure.INCEPTION_SCORE, Metrics.inceptionScore(j.probabilities()));
        values.put(Measure.FRECHET, FrechetDistance.between(j.features(), testFeatures));
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

    Section inpaint(int n, long seed) throws Exception {
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
            Map<String, Object> params = Map.of("hole", Map.of("size", size, "x", x, "y", y),
                    "class", className(data.testLabels()[i]));
            for (String model : jobs.keySet()) {
                jobs.get(model).add(new Job("inpaint", model, params, Map.of("image", data.test().get(i)), seed + i));
            }
        }
        List<TaskResult> standardResults = runner.runAll(jobs.get(standard));
        List<TaskResult> robustResults = runner.runAll(jobs.get(robust));
        List<Image> truth = data.test().subList(0, n);
        List<Image> corrupted = images(robustResults, "corrupted");
        int[] labels = labels(n);
        List<Row> rows = new ArrayList<>();
        rows.add(editRow("mean fill (baseline)", "baseline", corrupted, labels, truth, masks, corrupted));
        rows.add(editRow("original image (truth)", "reference", truth, labels, truth, masks, corrupted));
        rows.add(editRow("standard (" + standard + ")", "standard", images(standardResults, "result"), labels, truth,
                masks, corrupted));
        rows.add(editRow("robust (" + robust + ")", "robust", images(robustResults, "result"), labels, truth, masks,
                corrupted));
        Grid.write(gridDir.resolve(gridName("inpaint")), List.of(truth.subList(0, 12), corrupted.subList(0, 12),
                images(standardResults, "result").subList(0, 12), images(robustResults, "result").subList(0, 12)),
                GRID_SCALE);
        String setup = n + " test images, a " + size + "×" + size + " hole at a random position (mean fill), the true"
                + " class given, inpaint plugin defaults (λ 10 on the known pixels); agreement with the true class;"
                + " PSNR inside the hole against the original; L2 moved from the corrupted image.";
        return new Section("inpaint", setup, rows, gridName("inpaint"),
                List.of("original", "corrupted (mean fill)", "standard model", "robust model"), List.of());
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

    private Row editRow(String method, String kind, List<Image> images, int[] wanted, List<Image> truth,
                        List<Image> psnrMasks, List<Image> start) throws Exception {
        Map<Measure, Double> values = new EnumMap<>(Measure.class);
        values.put(Measure.LOW_PASS_AGREEMENT, Metrics.agreement(judge.judge(Metrics.lowPass(images)), wanted));
        values.put(Measure.AGREEMENT, Metrics.agreement(judge.judge(images), wanted));
        if (truth != null) {
            values.put(Measure.PSNR, Metrics.meanPsnr(images, truth, psnrMasks));
        }
        values.put(Measure.L2_MOVED, Metrics.meanL2(images, start));
        return Row.of(method, kind, images.size(), values);
    }

    // ---------------------------------------------------------------- superres

    Section superres(int n, long seed) throws Exception {
        int factor = 4;
        List<Image> truth = data.test().subList(0, n);
        List<Image> low = truth.stream().map(img -> Metrics.areaDown(img, factor)).toList();
        List<Image> nearest = low.stream().map(img -> ImageCodec.resize(img, data.height(), data.width(),
                ResizeMethod.NEAREST)).toList();
        List<Image> bicubic = low.stream().map(img -> ImageCodec.resize(img, data.height(), data.width(),
                ResizeMethod.BICUBIC)).toList();
        Map<String, List<Image>> produced = new LinkedHashMap<>();
        for (String model : List.of(standard, robust)) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                jobs.add(new Job("superres", model, Map.of("factor", factor, "upsample", "nearest"),
                        Map.of("image", low.get(i)), seed + i));
            }
            produced.put(model, images(runner.runAll(jobs), "result"));
        }
        int[] labels = labels(n);
        List<Row> rows = new ArrayList<>();
        rows.add(editRow("nearest upsampling (baseline)", "baseline", nearest, labels, truth, null, nearest));
        rows.add(editRow("bicubic upsampling (baseline)", "baseline", bicubic, labels, truth, null, nearest));
        rows.add(editRow("original image (truth)", "reference", truth, labels, truth, null, nearest));
        rows.add(editRow("standard (" + standard + ")", "standard", produced.get(standard), labels, truth, null,
                nearest));
        rows.add(editRow("robust (" + robust + ")", "robust", produced.get(robust), labels, truth, null, nearest));
        Grid.write(gridDir.resolve(gridName("superres")), List.of(truth.subList(0, 12), nearest.subList(0, 12),
                bicubic.subList(0, 12), produced.get(standard).subList(0, 12), produced.get(robust).subList(0, 12)),
                GRID_SCALE);
        String setup = n + " test images area-averaged ×" + factor + " down (" + data.width() / factor + "×"
                + data.height() / factor + "), then ×" + factor + " up: nearest, bicubic, or the superres plugin"
                + " (nearest start, steps toward the model's predicted class, its defaults); agreement with the true"
                + " class; PSNR against the original; L2 moved from the nearest upsampling.";
        return new Section("superres", setup, rows, gridName("superres"),
                List.of("original", "nearest", "bicubic", "standard model", "robust model"), List.of());
    }

    // ---------------------------------------------------------------- translate and sketch

    Section translate(int n, long seed) throws Exception {
        Random random = new Random(seed);
        int k = data.classes().size();
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            targets[i] = (data.testLabels()[i] + 1 + random.nextInt(k - 1)) % k;
        }
        List<Image> sources = data.test().subList(0, n);
        return classEdit("translate", sources, targets, "unchanged source (baseline)",
                n + " test images, each toward a random other class, translate plugin defaults (ball around the"
                        + " source); agreement with the target class; L2 moved from the source.",
                "source");
    }

    Section sketch(int n, long seed) throws Exception {
        List<Image> drawings = data.test().subList(0, n).stream().map(Evaluation::drawing).toList();
        return classEdit("sketch", drawings, labels(n), "the drawing unchanged (baseline)",
                n + " rough drawings made from test images (3×3 box blur twice, then every channel thresholded at"
                        + " 0.5: flat two-level shapes; for Fashion a silhouette), the true class requested, sketch"
                        + " plugin defaults; agreement with that class; L2 moved from the drawing.",
                "drawing");
    }

    private Section classEdit(String type, List<Image> inputs, int[] targets, String baseline, String setup,
                              String inputRole) throws Exception {
        Map<String, List<Image>> produced = new LinkedHashMap<>();
        for (String model : List.of(standard, robust)) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                jobs.add(new Job(type, model, Map.of("class", className(targets[i])), Map.of("image", inputs.get(i)),
                        7_000L + i));
            }
            produced.put(model, images(runner.runAll(jobs), "result"));
        }
        List<Row> rows = new ArrayList<>();
        rows.add(editRow(baseline, "baseline", inputs, targets, null, null, inputs));
        rows.add(editRow("standard (" + standard + ")", "standard", produced.get(standard), targets, null, null,
                inputs));
        rows.add(editRow("robust (" + robust + ")", "robust", produced.get(robust), targets, null, null, inputs));
        Grid.write(gridDir.resolve(gridName(type)), List.of(inputs.subList(0, 12),
                produced.get(standard).subList(0, 12), produced.get(robust).subList(0, 12)), GRID_SCALE);
        List<String> targetNames = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            targetNames.add(className(targets[i]));
        }
        return new Section(type, setup, rows, gridName(type), List.of(inputRole, "standard model", "robust model"),
                List.of("Grid targets, left to right: " + String.join(", ", targetNames) + "."));
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

    Section paint(int n, long seed) throws Exception {
        Random random = new Random(seed);
        int k = data.classes().size();
        int side = data.height() / 2;
        String layer = paintLayer();
        List<Map<String, Object>> strokes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int x = random.nextInt(data.width() - side + 1);
            int y = random.nextInt(data.height() - side + 1);
            int c = (data.testLabels()[i] + 1 + random.nextInt(k - 1)) % k;
            strokes.add(Map.of("box", Map.of("x", x, "y", y, "width", side, "height", side), "class", className(c),
                    "layer", layer));
        }
        List<Image> sources = data.test().subList(0, n);
        Map<String, List<Image>> produced = new LinkedHashMap<>();
        List<Row> rows = new ArrayList<>();
        for (String model : List.of(standard, robust)) {
            List<Job> jobs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                jobs.add(new Job("paint", model, Map.of("strokes", List.of(strokes.get(i))),
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
            Map<Measure, Double> values = new EnumMap<>(Measure.class);
            values.put(Measure.GAIN_INSIDE, inside);
            values.put(Measure.GAIN_OUTSIDE, outside);
            values.put(Measure.GAIN_RATIO, inside / Math.abs(outside));
            values.put(Measure.L2_MOVED, Metrics.meanL2(images, sources));
            String kind = model.equals(robust) ? "robust" : "standard";
            rows.add(Row.of(kind + " (" + model + ")", kind, n, values));
        }
        Grid.write(gridDir.resolve(gridName("paint")), List.of(sources.subList(0, 12),
                produced.get(standard).subList(0, 12), produced.get(robust).subList(0, 12)), GRID_SCALE);
        List<String> strokeNotes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            @SuppressWarnings("unchecked")
            Map<String, Object> box = (Map<String, Object>) strokes.get(i).get("box");
            strokeNotes.add(strokes.get(i).get("class") + " at (" + box.get("x") + "," + box.get("y") + ")");
        }
        String setup = n + " test images, one stroke each: a " + side + "×" + side + " box at a random position"
                + " raising the channel of layer " + layer + " (the deepest exposed layer still at least a quarter"
                + " of the input's size, so the region maps onto it) most tied to a random other class (paint plugin"
                + " defaults, λ 10 outside); mean activation gain of that channel inside and outside the box (each"
                + " model in its own units, so compare the ratios).";
        return new Section("paint", setup, rows, gridName("paint"), List.of("source", "standard model",
                "robust model"), List.of("Grid strokes, left to right: " + String.join("; ", strokeNotes) + "."));
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
