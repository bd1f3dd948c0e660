package dev.robustsynth.cli.command;

import dev.robustsynth.cli.JobStatus;
import dev.robustsynth.cli.JobStatusStream;
import dev.robustsynth.cli.RsynthClientException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What {@code job submit --watch}, {@code job watch} and {@code job cancel --watch} share: follow a job's status to a
 * terminal state with the progress display, print the summary line, and turn the end into an exit code.
 */
final class JobFollowing {
    private JobFollowing() {
    }

    /** How long to follow: no status at all within {@code startTimeout}, or no terminal one within {@code timeout}. */
    record Settings(Duration startTimeout, Duration timeout, ProgressDisplay.Mode progress) {
    }

    static int follow(JobStatusStream statuses, String id, Optional<JobStatus> known, Settings settings,
                      PrintWriter out, PrintWriter err) {
        Optional<JobStatus> last;
        try (ProgressDisplay display = new ProgressDisplay(err, settings.progress(), id)) {
            known.ifPresent(display::show);
            last = statuses.await(id, known, settings.startTimeout(), settings.timeout(), display::show);
        } catch (RsynthClientException e) {
            err.println("rsynth: error: " + e.getMessage());
            err.flush();
            return ExitCodes.ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
        }
        if (last.isEmpty()) {
            err.println("rsynth: no status for job " + id + " within " + human(settings.startTimeout())
                    + " (is the service running? is the id right?)");
            err.flush();
            return ExitCodes.NO_STATUS;
        }
        JobStatus status = last.get();
        if (!status.state().terminal()) {
            err.println("rsynth: TIMEOUT: job " + id + " is still " + status.state() + " after "
                    + human(settings.timeout()) + " (" + status.done() + "/" + status.total()
                    + " items done; it keeps running: `rsynth job watch " + id + "`)");
            err.flush();
            return ExitCodes.TIMEOUT;
        }
        return report(status, out, err);
    }

    /** Prints the summary line (stdout) and a refusal's code and message (stderr); the exit code of the state. */
    static int report(JobStatus status, PrintWriter out, PrintWriter err) {
        out.println(summary(status));
        out.flush();
        status.error().ifPresent(e -> err.println("rsynth: job " + status.id() + " " + status.state()
                + (status.state() == dev.robustsynth.cli.JobState.FAILED ? " (refused, nothing was started)" : "")
                + ": " + e.code() + ": " + e.message()));
        err.flush();
        return status.state().terminal() ? ExitCodes.of(status.state()) : ExitCodes.SUCCEEDED;
    }

    /** {@code SUCCEEDED shoes-100 generate model=…: 100/100 items, 100 succeeded, 0 failed, 0 cancelled; manifest …}. */
    static String summary(JobStatus s) {
        StringBuilder sb = new StringBuilder().append(s.state()).append(' ').append(s.id());
        if (!s.type().isEmpty()) {
            sb.append(' ').append(s.type());
        }
        if (!s.model().isEmpty()) {
            sb.append(" model=").append(s.model());
        }
        if (s.error().isPresent() && s.state() == dev.robustsynth.cli.JobState.FAILED) {
            return sb.append(": ").append(s.error().get().code()).toString();
        }
        sb.append(": ").append(s.done()).append('/').append(s.total()).append(" items, ").append(s.succeeded())
                .append(" succeeded, ").append(s.failed()).append(" failed, ").append(s.cancelled())
                .append(" cancelled");
        if (!s.state().terminal()) {
            sb.append(", ").append(s.published()).append(" published");
            s.ratePerSecond().ifPresent(r -> sb.append(String.format(Locale.ROOT, ", %.1f/s", r)));
            s.etaSeconds().ifPresent(eta -> sb.append(", ETA ").append(ProgressDisplay.clock(eta)));
        }
        s.manifest().ifPresent(m -> sb.append("; manifest ").append(m));
        return sb.toString();
    }

    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
