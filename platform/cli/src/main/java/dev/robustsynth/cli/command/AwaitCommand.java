package dev.robustsynth.cli.command;

import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.RsynthClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rsynth await}: collect the result of a task submitted earlier (e.g. after a --timeout or --no-wait). */
@Command(name = "await", sortOptions = false, mixinStandardHelpOptions = true,
        description = "Wait for the result of a task submitted earlier and write it like submit does.",
        footer = {"%nExample:", "  rsynth await job-42 --since 1h --out results/"})
public final class AwaitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "ID", description = "The task id.")
    String id;

    @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Also look at results and progress published this long ago (default: only from now on).")
    Duration since;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = ".", description = "Where result files go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long to wait (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--cancel-on-timeout", negatable = true, defaultValue = "false", fallbackValue = "true",
            description = "Send a cancel when --timeout passes (default: ${DEFAULT-VALUE}).")
    boolean cancelOnTimeout;

    @Option(names = "--progress", defaultValue = "AUTO", description = "Progress display: ${COMPLETION-CANDIDATES}.")
    ProgressDisplay.Mode progress;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        RsynthClientConfig.Builder config = kafka.configBuilder();
        if (since != null) {
            config.listenFrom(Instant.now().minus(since));
        }
        try (RsynthClient client = new RsynthClient(config.build())) {
            client.watch(id);
            return TaskFollowing.follow(client, id, new TaskFollowing.Settings(timeout, out, progress,
                    cancelOnTimeout), spec.commandLine().getOut(), err);
        } catch (RsynthClientException e) {
            err.println("rsynth: error: " + e.getMessage());
            err.flush();
            return ExitCodes.ERROR;
        }
    }
}
