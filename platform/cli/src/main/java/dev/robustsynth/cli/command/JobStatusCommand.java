package dev.robustsynth.cli.command;

import dev.robustsynth.cli.JobStatus;
import dev.robustsynth.cli.JobStatusStream;
import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rsynth job status}: a job's latest status, read from the compacted status topic. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Print a job's latest status (the last record for its id on rsynth.jobs.status, read to its end).",
            "Exit 0 when there is one, whatever its state; 7 when there is none."})
public final class JobStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "ID", description = "The job id.")
    String id;

    @Option(names = "--json", description = "Print the status record as received (job-status.v1 JSON).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (RsynthClient client = new RsynthClient(kafka.configBuilder().build());
             JobStatusStream statuses = client.jobStatuses()) {
            Optional<JobStatus> status = statuses.latest(id);
            if (status.isEmpty()) {
                err.println("rsynth: no status for job " + id + " on " + client.config().topics().jobStatus());
                err.flush();
                return ExitCodes.NO_STATUS;
            }
            if (json) {
                out.println(status.get().json().toString());
            } else {
                out.println(JobFollowing.summary(status.get()));
                status.get().error().ifPresent(e -> err.println("rsynth: job " + id + " " + status.get().state() + ": "
                        + e.code() + ": " + e.message()));
            }
            out.flush();
            err.flush();
            return ExitCodes.SUCCEEDED;
        } catch (RsynthClientException e) {
            err.println("rsynth: error: " + e.getMessage());
            err.flush();
            return ExitCodes.ERROR;
        }
    }
}
