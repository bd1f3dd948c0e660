package dev.robustsynth.cli.command;

import dev.robustsynth.cli.JobStatusStream;
import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rsynth job cancel}: publish a cancel-job command, optionally follow the job to its end. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancel a job ({\"action\":\"cancel-job\",\"id\":…} on rsynth.control): items not yet published "
                + "never are, published ones not yet done are cancelled; the job ends CANCELLED."})
public final class JobCancelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Mixin
    JobOptions follow;

    @Parameters(paramLabel = "ID", description = "The job id.")
    String id;

    @Option(names = "--watch", description = "Follow the job until it ends (exit 3 when it ends CANCELLED; a job that "
            + "had ended already shows its state).")
    boolean watch;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (RsynthClient client = new RsynthClient(kafka.configBuilder().build())) {
            if (!watch) {
                client.cancelJob(id);
                out.println("cancel-job sent for " + id);
                out.flush();
                return ExitCodes.SUCCEEDED;
            }
            try (JobStatusStream statuses = client.jobStatuses()) {
                var latest = statuses.latest(id);
                client.cancelJob(id);
                err.println("rsynth: cancel-job sent for " + id);
                err.flush();
                return JobFollowing.follow(statuses, id, latest, follow.settings(), out, err);
            }
        } catch (RsynthClientException e) {
            err.println("rsynth: error: " + e.getMessage());
            err.flush();
            return ExitCodes.ERROR;
        }
    }
}
