package dev.robustsynth.cli.command;

import dev.robustsynth.cli.JobStatus;
import dev.robustsynth.cli.ProgressEvent;
import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Shows progress on stderr: a bar redrawn in place on a terminal, one line per tenth of the way (and per stage
 * change) when stderr is a file or a pipe, or nothing. It draws a task's progress events ({@link #accept}) and a
 * bulk job's status events ({@link #show(JobStatus)}: items done/total, rate, ETA) the same way.
 */
final class ProgressDisplay implements Consumer<ProgressEvent>, AutoCloseable {
    /** How to show progress; AUTO picks BAR on a terminal, LINES otherwise. */
    enum Mode { AUTO, BAR, LINES, NONE }

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final Mode mode;
    private final String label;
    private final long startNanos = System.nanoTime();
    private int lastBucket = -1;
    private String lastStage = "";
    private int drawnWidth;

    ProgressDisplay(PrintWriter err, Mode mode, String label) {
        this.err = err;
        this.mode = mode == Mode.AUTO ? (stderrIsTerminal() ? Mode.BAR : Mode.LINES) : mode;
        this.label = label;
    }

    Mode mode() {
        return mode;
    }

    @Override
    public void accept(ProgressEvent event) {
        draw(render(event), event.fraction(), event.stage());
    }

    /** Draws a job's status: its state is the stage, items done of total the fraction. */
    void show(JobStatus status) {
        draw(render(status), status.fraction(), status.state().name());
    }

    private void draw(String line, double fraction, String stage) {
        switch (mode) {
            case BAR -> {
                String pad = " ".repeat(Math.max(0, drawnWidth - line.length()));
                err.print("\r" + line + pad);
                err.flush();
                drawnWidth = line.length();
            }
            case LINES -> {
                int bucket = (int) Math.floor(fraction * 10);
                if (bucket != lastBucket || !stage.equals(lastStage)) {
                    err.println(line);
                    err.flush();
                    lastBucket = bucket;
                    lastStage = stage;
                }
            }
            default -> {
            }
        }
    }

    String render(ProgressEvent e) {
        StringBuilder sb = bar(e.fraction());
        if (e.totalSteps() > 0) {
            sb.append(' ').append(e.step()).append('/').append(e.totalSteps());
        }
        if (!e.stage().isEmpty()) {
            sb.append(' ').append(e.stage());
        }
        e.metrics().entrySet().stream().limit(3).forEach(m -> sb.append(' ').append(metric(m)));
        if (!e.previews().isEmpty()) {
            sb.append(' ').append(e.previews().size()).append(e.previews().size() == 1 ? " preview" : " previews");
        }
        return sb.append("  ").append(clock(elapsedSeconds())).toString();
    }

    String render(JobStatus s) {
        StringBuilder sb = bar(s.fraction()).append(' ').append(s.done()).append('/').append(s.total())
                .append(' ').append(s.state());
        if (s.failed() > 0) {
            sb.append(' ').append(s.failed()).append(" failed");
        }
        if (s.cancelled() > 0) {
            sb.append(' ').append(s.cancelled()).append(" cancelled");
        }
        s.ratePerSecond().ifPresent(r -> sb.append(String.format(Locale.ROOT, " %.1f/s", r)));
        s.etaSeconds().ifPresent(eta -> sb.append(" ETA ").append(clock(eta)));
        return sb.append("  ").append(clock(elapsedSeconds())).toString();
    }

    private StringBuilder bar(double fraction) {
        int filled = (int) Math.round(fraction * WIDTH);
        return new StringBuilder(label).append(" [")
                .append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ")
                .append(String.format(Locale.ROOT, "%3d%%", Math.round(fraction * 100)));
    }

    private long elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1_000_000_000L;
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    static String clock(long seconds) {
        return seconds >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    private static String metric(Map.Entry<String, Double> m) {
        return m.getKey() + "=" + String.format(Locale.ROOT, "%.4g", m.getValue());
    }

    /** Ends the bar's line. */
    @Override
    public void close() {
        if (mode == Mode.BAR && drawnWidth > 0) {
            err.println();
            err.flush();
            drawnWidth = 0;
        }
    }

    private static boolean stderrIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+: System.console() exists even when redirected; isTerminal() tells the truth.
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
