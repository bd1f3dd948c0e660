package dev.robustsynth.eval;

import dev.robustsynth.eval.Results.Measure;
import dev.robustsynth.eval.Sweep.Point;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One sweep plot per task and data set ({@code docs/eval/<data set>-sweep-<task>.png}): the task's primary measure
 * against its second axis, a line per model and knob with each point labelled by its setting, and the baselines
 * and references of the first setting as single markers.
 */
final class SweepPlot {
    private static final Map<String, Color> COLOURS = Map.of("robust", new Color(0xC0392B), "standard",
            new Color(0x2E86C1));

    private SweepPlot() {
    }

    /** Second axes plotted beside the one the knee uses. */
    static List<Measure> extraAxes(String task) {
        return switch (task) {
            case "generate" -> List.of(Measure.SPREAD);
            case "superres" -> List.of(Measure.PSNR);
            case "paint" -> List.of(Measure.CLASS_KEPT);
            default -> List.of();
        };
    }

    static String fileName(String dataset, String task, Measure x) {
        return dataset + "-sweep-" + task + (x == Sweep.axes(task).second() ? "" : "-" + x.name().toLowerCase())
                + ".png";
    }

    static void write(Path dir, String dataset, String task, List<Point> points, Measure x, Measure y)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(820).height(560)
                .title(dataset + " · " + task + ": " + y.title + " against " + x.title)
                .xAxisTitle(x.title).yAxisTitle(y.title + (y.percent ? " (%)" : "")).build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setMarkerSize(8);
        chart.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY);
        double scale = y.percent ? 100 : 1;
        Map<String, List<Point>> lines = new LinkedHashMap<>();
        String firstSetting = null;
        for (Point p : points) {
            if (!p.task().equals(task) || p.row().value(x) == null || p.row().value(y) == null
                    || p.row().value(x) >= x.ceiling) {
                continue; // an exact value (PSNR 99 dB, nothing changed outside) would squash the scale
            }
            String kind = p.row().kind();
            if (kind.equals("robust") || kind.equals("standard")) {
                lines.computeIfAbsent(kind + " · " + p.knob(), k -> new ArrayList<>()).add(p);
            } else {
                firstSetting = firstSetting == null ? p.setting() : firstSetting;
                if (p.setting().equals(firstSetting)) {
                    lines.put(p.row().method(), List.of(p));
                }
            }
        }
        int dash = 0;
        for (Map.Entry<String, List<Point>> line : lines.entrySet()) {
            List<Point> ps = line.getValue();
            double[] xs = ps.stream().mapToDouble(p -> p.row().value(x)).toArray();
            double[] ys = ps.stream().mapToDouble(p -> p.row().value(y) * scale).toArray();
            XYSeries series = chart.addSeries(line.getKey(), xs, ys);
            String kind = ps.get(0).row().kind();
            if (COLOURS.containsKey(kind)) {
                series.setLineColor(COLOURS.get(kind));
                series.setMarkerColor(COLOURS.get(kind));
                series.setMarker(dash++ % 2 == 0 ? SeriesMarkers.CIRCLE : SeriesMarkers.SQUARE);
                for (Point p : ps) {
                    chart.addAnnotation(new AnnotationText(p.setting(), p.row().value(x), p.row().value(y) * scale,
                            false));
                }
            } else {
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                series.setMarker(SeriesMarkers.DIAMOND);
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        BitmapEncoder.saveBitmap(chart, dir.resolve(fileName(dataset, task, x)).toString(),
                BitmapEncoder.BitmapFormat.PNG);
    }
}
