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
import java.util.List;
import java.util.Locale;
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

    /** The report's Markdown: a fixed preamble, then one chapter per data set. */
    static String render(List<DatasetReport> reports, String preamble) {
        StringBuilder md = new StringBuilder(preamble);
        for (DatasetReport r : reports) {
            md.append("\n## ").append(r.dataset().equals("fashion") ? "Fashion-MNIST" : "CIFAR-10").append("\n\n");
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
