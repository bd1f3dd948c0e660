package dev.robustsynth.cli.command;

import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientException;
import dev.robustsynth.cli.TaskOutcome;
import dev.robustsynth.cli.TaskTimeoutException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The part {@code submit} and {@code await} share: wait for the result with a progress display,
 * cancel on timeout (if asked) and on Ctrl-C, write the outcome, and turn it all into an exit code.
 */
final class TaskFollowing {
    private TaskFollowing() {
    }

    record Settings(Duration timeout, Path out, ProgressDisplay.Mode progress, boolean cancelOnTimeout,
                    boolean cancelOnInterrupt) {
    }

    static int follow(RsynthClient client, String id, Settings settings, PrintWriter out, PrintWriter err)
            throws IOException {
        AtomicBoolean finished = new AtomicBoolean();
        Thread hook = settings.cancelOnInterrupt() ? Thread.ofPlatform().unstarted(() -> {
            if (!finished.get()) {
                try {
                    client.cancel(id);
                    err.println();
                    err.println("rsynth: interrupted; cancel sent for " + id);
                } catch (RsynthClientException | RuntimeException e) {
                    err.println("rsynth: interrupted; could not send cancel for " + id + ": " + e.getMessage());
                }
                err.flush();
            }
        }) : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
        TaskOutcome outcome;
        try (ProgressDisplay display = new ProgressDisplay(err, settings.progress(), id)) {
            outcome = client.awaitResult(id, settings.timeout(), display);
        } catch (TaskTimeoutException e) {
            String cancelled = "";
            if (settings.cancelOnTimeout()) {
                try {
                    client.cancel(id);
                    cancelled = " (cancel sent)";
                } catch (RsynthClientException ce) {
                    cancelled = " (cancel could not be sent: " + ce.getMessage() + ")";
                }
            }
            err.println("rsynth: TIMEOUT: " + e.getMessage() + cancelled);
            err.flush();
            return ExitCodes.TIMEOUT;
        } catch (RsynthClientException e) {
            err.println("rsynth: error: " + e.getMessage());
            err.flush();
            return ExitCodes.ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
        } finally {
            finished.set(true);
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running or has run
                }
            }
        }
        return OutcomeWriter.report(outcome, settings.out(), out, err);
    }
}
