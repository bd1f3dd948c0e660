package dev.robustsynth.cli.command;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rsynth job}: bulk jobs (one request on rsynth.jobs for many tasks), docs/MESSAGES.md "Bulk jobs". */
@Command(name = "job", mixinStandardHelpOptions = true,
        description = {"Bulk jobs: one request on rsynth.jobs that the service splits into tasks <job>/<index>.",
            "Status comes from the compacted rsynth.jobs.status, item results from rsynth.results (Kafka only)."},
        subcommands = {JobSubmitCommand.class, JobStatusCommand.class, JobWatchCommand.class, JobFetchCommand.class,
                JobCancelCommand.class},
        footer = {"%nExample:",
            "  rsynth job submit --type generate --model fashion-robust-l2 --classes sneaker,bag --count 50 --id shoes-100 --watch",
            "  rsynth job fetch shoes-100 --out shoes/"})
public final class JobCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }
}
