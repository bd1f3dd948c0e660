package dev.robustsynth.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.eval.Results.Measure;
import dev.robustsynth.eval.Results.Row;
import dev.robustsynth.eval.Sweep.Point;
import dev.robustsynth.spi.SynthesisDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {

    private static Point point(String task, String kind, String setting, Object... measuresAndValues) {
        Map<Measure, Double> values = new EnumMap<>(Measure.class);
        for (int i = 0; i < measuresAndValues.length; i += 2) {
            values.put((Measure) measuresAndValues[i], ((Number) measuresAndValues[i + 1]).doubleValue());
        }
        return new Point(task, setting.split(" ")[0], setting, Map.of(), Row.of(kind, kind, 10, values));
    }

    @Test
    void translationTakesTheLargestProductOfAgreementAndFidelity() {
        List<Point> points = List.of(
                point("translate", "robust", "steps 10", Measure.LOW_PASS_AGREEMENT, 0.30, Measure.FIDELITY, 0.9),
                point("translate", "robust", "layoutLambda 2", Measure.LOW_PASS_AGREEMENT, 0.62, Measure.FIDELITY,
                        0.78),
                point("translate", "robust", "layoutLambda 0", Measure.LOW_PASS_AGREEMENT, 1.0, Measure.FIDELITY,
                        0.42),
                point("translate", "standard", "steps 10", Measure.LOW_PASS_AGREEMENT, 0.05, Measure.FIDELITY, 0.99));
        assertEquals("layoutLambda 2", Sweep.knee(points, "translate", "robust").orElseThrow().setting());
        assertEquals("steps 10", Sweep.knee(points, "translate", "standard").orElseThrow().setting());
        assertTrue(Sweep.knee(points, "sketch", "robust").isEmpty());
    }

    @Test
    void generationTakesTheLowestFrechetDistanceWithinTenPointsOfTheBestAgreement() {
        List<Point> points = List.of(
                point("generate", "robust", "stopAt 0.9", Measure.LOW_PASS_AGREEMENT, 0.81, Measure.FRECHET, 30),
                point("generate", "robust", "stopAt 0.99", Measure.LOW_PASS_AGREEMENT, 0.91, Measure.FRECHET, 44),
                point("generate", "robust", "stopAt 1.0", Measure.LOW_PASS_AGREEMENT, 1.0, Measure.FRECHET, 207));
        assertEquals("stopAt 0.99", Sweep.knee(points, "generate", "robust").orElseThrow().setting());
    }

    @Test
    void aLowerFrechetDistanceIsBetterAndConsistentSuperresTiesGoToThePsnrAgainstTheOriginal() {
        List<Point> generate = List.of(
                point("generate", "robust", "steps 60", Measure.LOW_PASS_AGREEMENT, 0.99, Measure.FRECHET, 90),
                point("generate", "robust", "steps 20", Measure.LOW_PASS_AGREEMENT, 0.97, Measure.FRECHET, 40));
        assertEquals("steps 20", Sweep.knee(generate, "generate", "robust").orElseThrow().setting());
        List<Point> superres = List.of(
                point("superres", "robust", "eps 1", Measure.LOW_PASS_AGREEMENT, 0.50, Measure.CONSISTENCY, 70,
                        Measure.PSNR, 17),
                point("superres", "robust", "eps 3", Measure.LOW_PASS_AGREEMENT, 0.60, Measure.CONSISTENCY, 70,
                        Measure.PSNR, 16),
                point("superres", "robust", "eps 6", Measure.LOW_PASS_AGREEMENT, 0.62, Measure.CONSISTENCY, 45,
                        Measure.PSNR, 14),
                point("superres", "robust", "consistency false", Measure.LOW_PASS_AGREEMENT, 0.63,
                        Measure.CONSISTENCY, 25, Measure.PSNR, 15));
        assertEquals("eps 3", Sweep.knee(superres, "superres", "robust").orElseThrow().setting(),
                "consistent enough, near the best agreement, closest to the original");
    }

    @Test
    void inpaintingCountsKnownPixelsAboveFortyDecibelsAsKeptAndTakesTheBetterAgreement() {
        List<Point> points = List.of(
                point("inpaint", "robust", "lambda 1.0", Measure.LOW_PASS_AGREEMENT, 0.78, Measure.KNOWN_PSNR, 42),
                point("inpaint", "robust", "lambda 30.0", Measure.LOW_PASS_AGREEMENT, 0.73, Measure.KNOWN_PSNR, 47),
                point("inpaint", "robust", "lambda 0.1", Measure.LOW_PASS_AGREEMENT, 0.80, Measure.KNOWN_PSNR, 30));
        assertEquals("lambda 1.0", Sweep.knee(points, "inpaint", "robust").orElseThrow().setting());
    }

    @Test
    void paintTakesTheVisibleLocalChangeThatKeepsTheClassMostOften() {
        List<Point> points = List.of(
                point("paint", "robust", "lambda 10", Measure.CHANGE_INSIDE, 0.11, Measure.CHANGE_RATIO, 20,
                        Measure.CLASS_KEPT, 0.93),
                point("paint", "robust", "lambda 0", Measure.CHANGE_INSIDE, 0.37, Measure.CHANGE_RATIO, 6.6,
                        Measure.CLASS_KEPT, 0.78),
                point("paint", "robust", "lambda 1", Measure.CHANGE_INSIDE, 0.30, Measure.CHANGE_RATIO, 35,
                        Measure.CLASS_KEPT, 0.82),
                point("paint", "robust", "stepSize 2", Measure.CHANGE_INSIDE, 0.37, Measure.CHANGE_RATIO, 6.6,
                        Measure.CLASS_KEPT, 0.82),
                point("paint", "robust", "feather 3", Measure.CHANGE_INSIDE, 0.36, Measure.CHANGE_RATIO, 3.8,
                        Measure.CLASS_KEPT, 0.9));
        assertEquals("lambda 1", Sweep.knee(points, "paint", "robust").orElseThrow().setting(),
                "lambda 10 is too faint, feather 3 not local, stepSize 2 ties on the class but is less local");
        List<Point> noneVisible = List.of(points.get(0), point("paint", "robust", "lambda 30",
                Measure.CHANGE_INSIDE, 0.05, Measure.CHANGE_RATIO, 40, Measure.CLASS_KEPT, 1.0));
        assertEquals("lambda 30", Sweep.knee(noneVisible, "paint", "robust").orElseThrow().setting());
    }

    @Test
    void settingsAreInTheModelsUnitsAndEachSetsOneParameter() {
        List<Sweep.Setting> superres = Sweep.settings("superres", new SynthesisDefaults(30, 0.5, 60));
        assertArrayEquals(new Object[] {3.0, 6.0, 15.0, 30.0}, superres.stream().filter(s -> s.knob().equals("eps"))
                .map(s -> s.params().get("eps")).toArray());
        for (String task : List.of("generate", "inpaint", "superres", "translate", "sketch", "paint")) {
            for (Sweep.Setting s : Sweep.settings(task, new SynthesisDefaults(6, 0.5, 60))) {
                assertEquals(1, s.params().size(), task + " " + s);
                assertTrue(s.params().containsKey(s.knob()), task + " " + s);
            }
        }
    }

    @Test
    void thePlotIsAPngWithOneLinePerModelAndKnob(@TempDir Path dir) throws Exception {
        List<Point> points = new ArrayList<>();
        for (int steps : new int[] {10, 30, 90}) {
            for (String kind : List.of("robust", "standard")) {
                points.add(point("translate", kind, "steps " + steps, Measure.LOW_PASS_AGREEMENT, steps / 100.0,
                        Measure.FIDELITY, 1 - steps / 100.0));
            }
        }
        points.add(point("translate", "baseline", "steps 10", Measure.LOW_PASS_AGREEMENT, 0.02, Measure.FIDELITY, 1));
        SweepPlot.write(dir, "fashion", "translate", points, Measure.FIDELITY, Measure.LOW_PASS_AGREEMENT);
        byte[] png = Files.readAllBytes(dir.resolve("fashion-sweep-translate.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        assertTrue(png.length > 5000, "a drawn chart, " + png.length + " bytes");
    }
}
