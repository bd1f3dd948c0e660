package dev.robustsynth.cli.command;

import dev.robustsynth.cli.ProgressEvent;
import java.io.Console;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Shows progress events on stderr: a bar redrawn in place on a terminal, one line per tenth of the
 * way (and per stage change) when stderr is a file or a pipe, or nothing.
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
        switch (mode) {
            case BAR -> {
                String line = render(event);
                String pad = " ".repeat(Math.max(0, drawnWidth - line.length()));
                err.print("\r" + line + pad);
                err.flush();
                drawnWidth = line.length();
            }
            case LINES -> {
                int bucket = (int) Math.floor(event.fraction() * 10);
                if (bucket != lastBucket || !event.stage().equals(lastStage)) {
                    err.println(render(event));
                    err.flush();
                    lastBucket = bucket;
                    lastStage = event.stage();
                }
            }
            default -> {
            }
        }
    }

    String render(ProgressEvent e) {
        int filled = (int) Math.round(e.fraction() * WIDTH);
        StringBuilder sb = new StringBuilder(label).append(" [")
                .append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ")
                .append(String.format(Locale.ROOT, "%3d%%", Math.round(e.fraction() * 100)));
        if (e.totalSteps() > 0) {
            sb.append(' ').append(e.step()).append('/').append(e.totalSteps());
        }
        if (!e.stage().isEmpty()) {
            sb.append(' ').append(e.stage());
        }
        e.metrics().entrySet().stream().limit(3).forEach(m -> sb.append(' ').append(metric(m)));
        long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
        sb.append(String.format(Locale.ROOT, "  %d:%02d", seconds / 60, seconds % 60));
        return sb.toString();
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
