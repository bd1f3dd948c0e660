package dev.robustsynth.cli.command;

import java.time.Duration;
import picocli.CommandLine.Option;

/** How the job commands that follow a job wait and draw (a mixin). */
final class JobOptions {
    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "7d", converter = DurationConverter.class,
            description = "Stop following when the job is not done after this long; it keeps running "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--start-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Give up (exit 7) when no status of the job appears within this long (default: ${DEFAULT-VALUE}).")
    Duration startTimeout;

    @Option(names = "--progress", defaultValue = "AUTO",
            description = "Progress display: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}: a bar on a terminal, "
                    + "else a line per tenth and per state change).")
    ProgressDisplay.Mode progress;

    JobFollowing.Settings settings() {
        return new JobFollowing.Settings(startTimeout, timeout, progress);
    }
}
