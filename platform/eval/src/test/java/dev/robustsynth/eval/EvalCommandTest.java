package dev.robustsynth.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.robustsynth.eval.Results.DatasetReport;
import dev.robustsynth.eval.Results.Measure;
import dev.robustsynth.eval.Results.Row;
import dev.robustsynth.eval.Results.Section;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A small run of the whole evaluation on the shipped Fashion models and judge, with real plugins and ORT. */
class EvalCommandTest {
    private static final Path ROOT = Path.of("../..");
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void aSmallFashionRunWritesTheReportWithEveryTaskAndGrid(@TempDir Path docs) throws Exception {
        Path models = ROOT.resolve("models");
        Path judges = ROOT.resolve("platform/eval/judges");
        assumeTrue(Files.isDirectory(models.resolve("fashion-robust-l2")) && Files.isDirectory(
                models.resolve("fashion-standard")) && Files.isDirectory(judges.resolve("fashion-judge"))
                && Files.isDirectory(FASHION), "shipped Fashion models, judge and data set needed");

        int exit = new CommandLine(new EvalCommand()).execute("--data", "fashion", "--per-class", "2",
                "--per-task", "12", "--models-dir", models.toString(), "--judges-dir", judges.toString(),
                "--docs", docs.toString(), "--fashion-dir", FASHION.toString());

        assertEquals(0, exit);
        List<DatasetReport> reports = Report.load(docs.resolve("eval"));
        assertEquals(1, reports.size());
        DatasetReport report = reports.get(0);
        assertTrue(report.judgeAccuracy() > 0.85, "the judge is a real classifier: " + report.judgeAccuracy());
        assertEquals(List.of("generate", "inpaint", "superres", "translate", "sketch", "paint"),
                report.sections().stream().map(Section::task).toList());
        for (Section section : report.sections()) {
            assertTrue(Files.size(docs.resolve("eval").resolve(section.grid())) > 1000, section.grid());
            for (Row row : section.rows()) {
                row.values().forEach((measure, value) -> assertTrue(Double.isFinite(value) || measure.equals(
                        Measure.GAIN_RATIO.name()), section.task() + " " + row.method() + " " + measure));
            }
        }
        Section generate = report.sections().get(0);
        Row seeds = generate.rows().get(0);
        assertEquals(0, seeds.value(Measure.L2_MOVED), 1e-9, "the seed baseline is the seeds themselves");
        Row robust = generate.rows().stream().filter(r -> r.kind().equals("robust")).findFirst().orElseThrow();
        assertEquals(20, robust.images());
        assertTrue(robust.value(Measure.SPREAD) > 0, "within-class spread of the robust generations");
        Section superres = report.sections().get(2);
        Row robustSuperres = superres.rows().stream().filter(r -> r.kind().equals("robust")).findFirst()
                .orElseThrow();
        assertTrue(robustSuperres.value(Measure.CONSISTENCY) >= 35, "the output re-downsamples to its input: "
                + robustSuperres.value(Measure.CONSISTENCY) + " dB");
        Section translate = report.sections().get(3);
        assertEquals(1, translate.rows().get(0).value(Measure.FIDELITY), 1e-9, "the unchanged source is itself");
        assertTrue(translate.rows().stream().anyMatch(r -> r.kind().equals("reference")),
                "the plain generation of the target class is a reference row");
        String markdown = Files.readString(docs.resolve("EVALUATION.md"));
        assertTrue(markdown.contains("### fashion · paint") && markdown.contains("](eval/fashion-generate.png)"));
    }
}
