package dev.robustsynth.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.robustsynth.eval.Results.DatasetReport;
import dev.robustsynth.eval.Results.Measure;
import dev.robustsynth.eval.Results.Row;
import dev.robustsynth.eval.Results.Section;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Writes each data set's measurements to {@code docs/eval/<data set>.json} and renders {@code docs/EVALUATION.md}
 * from every such file present, so data sets can be evaluated in separate runs.
 */
final class Report {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> ORDER = List.of("fashion", "cifar10");

    private Report() {
    }

    static void save(Path evalDir, DatasetReport report) throws IOException {
        Files.createDirectories(evalDir);
        JSON.writeValue(evalDir.resolve(report.dataset() + ".json").toFile(), report);
    }

    /**
     * A run of some tasks merged into the data set's earlier report: the new sections replace those of the same task,
     * the others stay, in {@code order}; the seconds add up (the time behind the sections shown).
     */
    static DatasetReport merge(Optional<DatasetReport> earlier, DatasetReport run, List<String> order) {
        if (earlier.isEmpty()) {
            return run;
        }
        Map<String, Section> byTask = new LinkedHashMap<>();
        earlier.get().sections().forEach(s -> byTask.put(s.task(), s));
        run.sections().forEach(s -> byTask.put(s.task(), s));
        List<Section> sections = order.stream().filter(byTask::containsKey).map(byTask::get).toList();
        boolean replacesAll = sections.size() == run.sections().size();
        return new DatasetReport(run.dataset(), run.robust(), run.standard(), run.judge(), run.judgeAccuracy(),
                run.judgeLowPassAccuracy(), replacesAll ? run.seconds() : earlier.get().seconds() + run.seconds(),
                run.date(), sections);
    }

    static List<DatasetReport> load(Path evalDir) throws IOException {
        List<DatasetReport> reports = new ArrayList<>();
        for (String dataset : ORDER) {
            Path file = evalDir.resolve(dataset + ".json");
            if (Files.isRegularFile(file)) {
                reports.add(JSON.readValue(file.toFile(), DatasetReport.class));
            }
        }
        return reports;
    }

    static List<Sweep.Results> loadSweeps(Path evalDir) throws IOException {
        List<Sweep.Results> sweeps = new ArrayList<>();
        for (String dataset : ORDER) {
            Path file = evalDir.resolve(dataset + "-sweep.json");
            if (Files.isRegularFile(file)) {
                sweeps.add(JSON.readValue(file.toFile(), Sweep.Results.class));
            }
        }
        return sweeps;
    }

    private static String title(String dataset) {
        return dataset.equals("fashion") ? "Fashion-MNIST" : "CIFAR-10";
    }

    /** The report's Markdown: a fixed preamble, the sweeps and their knees, then one chapter per data set. */
    static String render(List<DatasetReport> reports, List<Sweep.Results> sweeps, String preamble) {
        StringBuilder md = new StringBuilder(preamble);
        if (!sweeps.isEmpty()) {
            sweeps(md, sweeps);
        }
        for (DatasetReport r : reports) {
            md.append("\n## ").append(title(r.dataset())).append("\n\n");
            md.append(String.format(Locale.ROOT, "Robust model `%s`, standard twin `%s`, judge `%s` (test accuracy"
                    + " %.1f %%, %.1f %% after the 2× low-pass). Run on %s in %d s.%n", r.robust(), r.standard(),
                    r.judge(), 100 * r.judgeAccuracy(), 100 * r.judgeLowPassAccuracy(), r.date(), r.seconds()));
            for (Section s : r.sections()) {
                md.append("\n### ").append(r.dataset()).append(" · ").append(s.task()).append("\n\n");
                md.append(s.setup()).append("\n\n");
                table(md, s.rows());
                for (String note : s.notes()) {
                    md.append("\n").append(note).append("\n");
                }
                md.append("\n![").append(r.dataset()).append(' ').append(s.task()).append("](eval/").append(s.grid())
                        .append(")\n\n");
                md.append("Grid rows, top to bottom: ").append(String.join(" · ", s.gridRows())).append(".\n");
            }
        }
        return md.toString();
    }

    private static void sweeps(StringBuilder md, List<Sweep.Results> sweeps) {
        md.append("\n## Sweeps and the knee\n\n");
        md.append(String.format(Locale.ROOT, "Each task's strength knobs, swept one at a time with the others at the"
                + " plugin's defaults, for the robust model and its twin (`rsynth eval --sweep`). **The rules** (the"
                + " knee, per task, data set and model):%n%n"
                + "- *generation, inpainting, super-resolution:* of the settings whose agreement after the low-pass"
                + " is within %.0f points of the best setting's (about two binomial standard errors at these sizes;"
                + " a 3-point margin would pick sampling noise), the one with the best second axis: lowest Fréchet"
                + " distance; highest known-pixel PSNR with everything above %.0f dB counted equal (an error under"
                + " 1 %% RMS is invisible, and uncapped the mean fill that changes nothing would be the ideal), ties"
                + " to the better agreement; highest consistency PSNR with everything above %.0f dB counted equal,"
                + " ties to the higher PSNR against the original (so a subject that changes loses);%n"
                + "- *translation and sketch:* the largest product of agreement and source fidelity. Both lie in"
                + " [0, 1] and trade off over the whole range, so a margin on agreement would let agreement alone"
                + " decide and pick the setting that ignores the source; the product is small both for the unchanged"
                + " source and for a class prototype painted over it;%n"
                + "- *painting* (no class to agree with): of the settings whose change is local (inside/outside"
                + " ratio at least %.0f) and visible (RMS change inside the stroke at least %.1f of the pixel range),"
                + " the one whose judge keeps the image's class most often, ties to the larger ratio.%n",
                100 * Sweep.KNEE_MARGIN, Sweep.KNOWN_ENOUGH, Sweep.CONSISTENCY_ENOUGH, Sweep.PAINT_MIN_RATIO,
                Sweep.PAINT_MIN_CHANGE));
        for (Sweep.Results s : sweeps) {
            md.append("\n### ").append(title(s.dataset())).append(" sweep\n\n");
            long total = s.seconds().values().stream().mapToLong(Long::longValue).sum();
            md.append(String.format(Locale.ROOT, "%d images per class for generation, %d test images per point"
                    + " for the other tasks; %d settings in %d s.%n", s.perClass(), s.perTask(), s.seconds().size(),
                    total));
            md.append("\n| task | model | knee setting |");
            md.append(" primary | second axis |\n|---|---|---|---:|---:|\n");
            for (String task : s.points().stream().map(Sweep.Point::task).distinct().toList()) {
                Sweep.Axes axes = Sweep.axes(task);
                for (String kind : List.of("robust", "standard")) {
                    Sweep.knee(s.points(), task, kind).ifPresent(p -> md.append("| ").append(task).append(" | ")
                            .append(kind).append(" | ").append(p.setting()).append(" | ")
                            .append(axes.primary().title).append(' ')
                            .append(format(axes.primary(), p.row().value(axes.primary()))).append(" | ")
                            .append(axes.second().title).append(' ')
                            .append(format(axes.second(), p.row().value(axes.second()))).append(" |\n"));
                }
            }
            for (String task : s.points().stream().map(Sweep.Point::task).distinct().toList()) {
                md.append("\n#### ").append(s.dataset()).append(" sweep · ").append(task).append("\n\n");
                Sweep.Axes axes = Sweep.axes(task);
                md.append("![").append(s.dataset()).append(' ').append(task).append(" sweep](eval/")
                        .append(SweepPlot.fileName(s.dataset(), task, axes.second())).append(")\n");
                for (Measure extra : SweepPlot.extraAxes(task)) {
                    md.append("![").append(s.dataset()).append(' ').append(task).append(" sweep, ")
                            .append(extra.title).append("](eval/")
                            .append(SweepPlot.fileName(s.dataset(), task, extra)).append(")\n");
                }
                md.append('\n');
                List<Row> rows = new ArrayList<>();
                String first = null;
                for (Sweep.Point p : s.points()) {
                    if (!p.task().equals(task)) {
                        continue;
                    }
                    first = first == null ? p.setting() : first;
                    boolean model = p.row().kind().equals("robust") || p.row().kind().equals("standard");
                    if (model || p.setting().equals(first)) {
                        rows.add(new Row(model ? p.row().kind() + " · " + p.setting() : p.row().method(),
                                p.row().kind(), p.row().images(), p.row().values()));
                    }
                }
                table(md, rows);
            }
        }
    }

    private static void table(StringBuilder md, List<Row> rows) {
        Set<Measure> used = EnumSet.noneOf(Measure.class);
        for (Row row : rows) {
            for (Measure m : Measure.values()) {
                if (row.value(m) != null) {
                    used.add(m);
                }
            }
        }
        md.append("| method | images |");
        used.forEach(m -> md.append(' ').append(m.title).append(" |"));
        md.append("\n|---|---:|");
        used.forEach(m -> md.append("---:|"));
        md.append('\n');
        for (Row row : rows) {
            boolean bold = row.kind().equals("robust");
            md.append("| ").append(bold ? "**" + row.method() + "**" : row.method()).append(" | ")
                    .append(row.images()).append(" |");
            for (Measure m : used) {
                Double v = row.value(m);
                md.append(' ').append(v == null ? "–" : format(m, v)).append(" |");
            }
            md.append('\n');
        }
    }

    static String format(Measure m, double v) {
        if (m.percent) {
            return String.format(Locale.ROOT, "%.1f %%", 100 * v);
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
