package dev.robustsynth.cli.command;

import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientException;
import dev.robustsynth.cli.TaskOutcome;
import dev.robustsynth.cli.TaskTimeoutException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The part {@code submit} and {@code await} share: wait for the result with a progress display,
 * cancel on timeout (if asked), write the outcome, and turn it all into an exit code.
 */
final class TaskFollowing {
    private TaskFollowing() {
    }

    record Settings(Duration timeout, Path out, ProgressDisplay.Mode progress, boolean cancelOnTimeout) {
    }

    static int follow(RsynthClient client, String id, Settings settings, PrintWriter out, PrintWriter err)
            throws IOException {
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
        }
        return OutcomeWriter.report(outcome, settings.out(), out, err);
    }
}
