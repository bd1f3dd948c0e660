package dev.robustsynth.eval;

import dev.robustsynth.eval.Results.DatasetReport;
import dev.robustsynth.eval.Results.Section;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rsynth eval}: runs the evaluation and writes docs/EVALUATION.md. */
@Command(name = "rsynth eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the six task plugins on each data set's robust model and its standard twin, beside the"
                + " trivial baselines, scores everything with an independent judge classifier, and writes"
                + " docs/EVALUATION.md with image grids (docs/eval/*.png) and the numbers (docs/eval/<data set>.json)."})
public final class EvalCommand implements Callable<Integer> {
    private static final List<String> TASKS = List.of("generate", "inpaint", "superres", "translate", "sketch", "paint");

    @Option(names = "--data", split = ",", description = "Data sets to evaluate (default: fashion,cifar10).")
    List<String> datasets = List.of("fashion", "cifar10");

    @Option(names = "--tasks", split = ",", description = "Tasks to run (default: all six).")
    List<String> tasks = TASKS;

    @Option(names = "--per-class", description = "Generated images per class (default: ${DEFAULT-VALUE}).")
    int perClass = 100;

    @Option(names = "--per-task", description = "Test images per other task (default: ${DEFAULT-VALUE}).")
    int perTask = 500;

    @Option(names = "--models-dir", description = "Where <data>-robust-l2 and <data>-standard live (default: models).")
    Path modelsDir = Path.of("models");

    @Option(names = "--judges-dir", description = "Where <data>-judge lives (default: platform/eval/judges).")
    Path judgesDir = Path.of("platform/eval/judges");

    @Option(names = "--docs", description = "Report directory (default: docs).")
    Path docs = Path.of("docs");

    @Option(names = "--fashion-dir", description = "Fashion-MNIST IDX files (default: ${DEFAULT-VALUE}).")
    Path fashionDir = Path.of("/usr/share/datasets/fashion-mnist");

    @Option(names = "--cifar-archive", description = "CIFAR-10 archive (default: ${DEFAULT-VALUE}).")
    Path cifarArchive = Path.of("../shared/datasets/cifar10/cifar10-jpeg.tar.xz");

    @Option(names = "--cifar-cache", description = "Decoded CIFAR-10 cache (default: ${DEFAULT-VALUE}).")
    Path cifarCache = Path.of("../data/cifar10");

    @Option(names = "--concurrency", description = "Tasks in flight at once; the engine batches their steps"
            + " (default: ${DEFAULT-VALUE}).")
    int concurrency = 32;

    @Option(names = "--max-batch", description = "Images per ORT run (default: ${DEFAULT-VALUE}).")
    int maxBatch = 32;

    @Option(names = "--threads", description = "ORT intra-op threads, 0 = one per core (default: ${DEFAULT-VALUE}).")
    int threads = 0;

    @Option(names = "--seed", description = "Base seed of every random choice (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--sweep", description = "Sweep each task's strength knobs instead, for both models, at"
            + " --per-class/--per-task images per point: docs/eval/<data set>-sweep.json (written point by point and"
            + " resumed when present) and plots docs/eval/<data set>-sweep-<task>.png.")
    boolean sweep;

    @Option(names = "--report-only", description = "Only re-render EVALUATION.md from docs/eval/*.json and"
            + " docs/eval/findings.md.")
    boolean reportOnly;

    public static void main(String[] args) {
        System.exit(new CommandLine(new EvalCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (String task : tasks) {
            if (!TASKS.contains(task)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown task '" + task + "'; known: "
                        + String.join(", ", TASKS));
            }
        }
        Path evalDir = docs.resolve("eval");
        Files.createDirectories(evalDir);
        if (reportOnly) {
            writeReport(evalDir);
        }
        for (String dataset : reportOnly ? List.<String>of() : datasets) {
            if (sweep) {
                sweep(dataset, evalDir);
            } else {
                Report.save(evalDir, Report.merge(Report.load(evalDir).stream()
                        .filter(r -> r.dataset().equals(dataset)).findFirst(), evaluate(dataset, evalDir), TASKS));
            }
            writeReport(evalDir); // after each data set, so a long run leaves a report behind
        }
        System.out.println("wrote " + docs.resolve("EVALUATION.md"));
        return 0;
    }

    private DatasetReport evaluate(String dataset, Path evalDir) throws Exception {
        long started = System.nanoTime();
        String robust = dataset + "-robust-l2";
        String standard = dataset + "-standard";
        Path judgeDir = judgesDir.resolve(dataset + "-judge");
        log("%s: loading data, judge %s, models %s and %s", dataset, judgeDir, robust, standard);
        EvalData data = EvalData.load(dataset, new EvalData.Sources(fashionDir, cifarArchive, cifarCache), 1000);
        List<Section> sections = new ArrayList<>();
        double accuracy;
        double lowPassAccuracy;
        try (Judge judge = Judge.load(judgeDir, threads);
             PluginRunner runner = new PluginRunner(List.of(modelsDir.resolve(robust), modelsDir.resolve(standard)),
                     threads, maxBatch, concurrency)) {
            Evaluation evaluation = new Evaluation(data, judge, runner, robust, standard, evalDir);
            accuracy = evaluation.judgeAccuracy();
            lowPassAccuracy = evaluation.judgeLowPassAccuracy();
            log("%s: judge accuracy %.2f %% (%.2f %% low-passed)", dataset, 100 * accuracy, 100 * lowPassAccuracy);
            int n = Math.min(perTask, data.test().size());
            for (String task : tasks) {
                long t0 = System.nanoTime();
                Section section = evaluation.run(task, perClass, n, seed, Map.of());
                sections.add(section);
                log("%s %s: %.0f s", dataset, task, (System.nanoTime() - t0) / 1e9);
            }
        }
        return new DatasetReport(dataset, robust, standard, judgeDir.getFileName().toString(), accuracy,
                lowPassAccuracy, Math.round((System.nanoTime() - started) / 1e9), LocalDate.now().toString(), sections);
    }

    private void sweep(String dataset, Path evalDir) throws Exception {
        String robust = dataset + "-robust-l2";
        String standard = dataset + "-standard";
        EvalData data = EvalData.load(dataset, new EvalData.Sources(fashionDir, cifarArchive, cifarCache), 1000);
        Path file = evalDir.resolve(dataset + "-sweep.json");
        Sweep.Results results = Sweep.load(file, dataset, perClass, Math.min(perTask, data.test().size()));
        try (Judge judge = Judge.load(judgesDir.resolve(dataset + "-judge"), threads);
             PluginRunner runner = new PluginRunner(List.of(modelsDir.resolve(robust), modelsDir.resolve(standard)),
                     threads, maxBatch, concurrency)) {
            Evaluation evaluation = new Evaluation(data, judge, runner, robust, standard, null);
            Sweep.run(evaluation, tasks, runner.model(robust).defaults(), results, seed, file,
                    EvalCommand::log);
        }
    }

    private void writeReport(Path evalDir) throws Exception {
        for (Sweep.Results sweepResults : Report.loadSweeps(evalDir)) {
            for (String task : TASKS) {
                Sweep.Axes axes = Sweep.axes(task);
                SweepPlot.write(evalDir, sweepResults.dataset(), task, sweepResults.points(), axes.second(),
                        axes.primary());
                for (Results.Measure extra : SweepPlot.extraAxes(task)) {
                    SweepPlot.write(evalDir, sweepResults.dataset(), task, sweepResults.points(), extra,
                            axes.primary());
                }
            }
        }
        Path findings = evalDir.resolve("findings.md");
        String preamble = Files.exists(findings) ? Files.readString(findings) : "# Evaluation\n";
        Files.writeString(docs.resolve("EVALUATION.md"), Report.render(Report.load(evalDir), Report.loadSweeps(evalDir),
                preamble));
    }

    private static void log(String line) {
        log("%s", line);
    }

    private static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
