package dev.robustsynth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.cli.ProgressEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The two ways progress is drawn on stderr. */
class ProgressDisplayTest {
    private static ProgressEvent event(int step, int total, String stage) {
        return new ProgressEvent("t", "generate", stage, step, total, (double) step / total, Map.of("loss", 0.5),
                Optional.empty());
    }

    @Test
    void barIsRedrawnInPlaceAndEndedWithANewline() {
        StringWriter sw = new StringWriter();
        try (ProgressDisplay d = new ProgressDisplay(new PrintWriter(sw), ProgressDisplay.Mode.BAR, "job")) {
            for (int s = 1; s <= 4; s++) {
                d.accept(event(s, 4, "synthesis"));
            }
        }
        String out = sw.toString();
        assertEquals(4, out.chars().filter(c -> c == '\r').count());
        assertEquals(1, out.chars().filter(c -> c == '\n').count());
        assertTrue(out.contains("\rjob [##############################] 100% 4/4 synthesis loss=0.5000"), out);
    }

    @Test
    void linesModePrintsOncePerTenthAndPerStage() {
        StringWriter sw = new StringWriter();
        try (ProgressDisplay d = new ProgressDisplay(new PrintWriter(sw), ProgressDisplay.Mode.LINES, "job")) {
            for (int s = 1; s <= 100; s++) {
                d.accept(event(s, 100, "synthesis"));
            }
            d.accept(event(100, 100, "encode"));
        }
        String[] lines = sw.toString().split("\n");
        assertEquals(12, lines.length, sw.toString());   // 1%, 10%, 20% … 100%, then the stage change
        assertTrue(lines[11].contains("encode"), lines[11]);
        assertTrue(sw.toString().indexOf('\r') < 0);
    }

    @Test
    void previewsAreCountedOnTheLine() {
        var preview = new dev.robustsynth.cli.OutcomeImage("preview", 0, "image/png", 4, 4, 1, new byte[] {1},
                Optional.empty(), Optional.empty(), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        ProgressEvent two = new ProgressEvent("t", "generate", "synthesis", 5, 10, 0.5, Map.of(), Optional.empty(),
                java.util.List.of(preview, preview));
        ProgressDisplay d = new ProgressDisplay(new PrintWriter(new StringWriter()), ProgressDisplay.Mode.LINES, "t");
        assertTrue(d.render(two).contains(" 5/10 synthesis 2 previews  0:0"), d.render(two));
        assertTrue(!d.render(event(5, 10, "synthesis")).contains("preview"), d.render(event(5, 10, "synthesis")));
    }
}
