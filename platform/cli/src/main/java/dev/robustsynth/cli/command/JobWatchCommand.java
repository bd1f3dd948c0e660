package dev.robustsynth.cli.command;

import dev.robustsynth.cli.JobStatusStream;
import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rsynth job watch}: follow a job to its end with a progress bar (items done/total, rate, ETA). */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follow a job until it ends: a progress bar on stderr (items done/total, rate, ETA), the "
                + "summary on stdout.",
            "Exit 0 SUCCEEDED, 6 COMPLETED with failed items, 3 CANCELLED, 1 FAILED (refused; code on stderr), "
                + "7 no status, 4 --timeout. Ctrl-C stops watching, not the job."})
public final class JobWatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    JobOptions follow;

    @Parameters(paramLabel = "ID", description = "The job id.")
    String id;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try (RsynthClient client = new RsynthClient(kafka.configBuilder().build());
             JobStatusStream statuses = client.jobStatuses()) {
            return JobFollowing.follow(statuses, id, statuses.latest(id), follow.settings(),
                    spec.commandLine().getOut(), err);
        } catch (RsynthClientException e) {
            err.println("rsynth: error: " + e.getMessage());
            err.flush();
            return ExitCodes.ERROR;
        }
    }
}
