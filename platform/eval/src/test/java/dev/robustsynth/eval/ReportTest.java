package dev.robustsynth.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustsynth.eval.Results.DatasetReport;
import dev.robustsynth.eval.Results.Section;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static final List<String> ORDER = List.of("generate", "inpaint", "superres");

    private static Section section(String task, String setup) {
        return new Section(task, setup, List.of(), task + ".png", List.of(), List.of());
    }

    private static DatasetReport report(long seconds, Section... sections) {
        return new DatasetReport("fashion", "r", "s", "j", 0.9, 0.7, seconds, "2026-12-03", List.of(sections));
    }

    @Test
    void aRunOfOneTaskReplacesThatSectionAndKeepsTheOthersInTaskOrder() {
        DatasetReport earlier = report(300, section("generate", "old"), section("inpaint", "old"),
                section("superres", "old"));
        DatasetReport merged = Report.merge(Optional.of(earlier), report(60, section("inpaint", "new")), ORDER);
        assertEquals(List.of("old", "new", "old"), merged.sections().stream().map(Section::setup).toList());
        assertEquals(360, merged.seconds(), "the time behind the sections shown");
        DatasetReport whole = report(200, section("generate", "new"), section("inpaint", "new"),
                section("superres", "new"));
        assertEquals(200, Report.merge(Optional.of(earlier), whole, ORDER).seconds());
        assertEquals(whole, Report.merge(Optional.empty(), whole, ORDER));
    }
}
