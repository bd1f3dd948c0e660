package dev.robustsynth.cli.command;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The root {@code rsynth} command; {@link #commandLine} builds it the same way for main and for tests. */
@Command(name = "rsynth", mixinStandardHelpOptions = true, version = "rsynth 0.1.0 (wire contract v1)",
        description = "Submit image-synthesis tasks to RobustSynth over Kafka and collect the results.",
        subcommands = {SubmitCommand.class, AwaitCommand.class, CancelCommand.class, TasksCommand.class, JobCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:the task (or job) SUCCEEDED (or the command did its job)",
            " 1:the task FAILED, or the job was refused (code and message on stderr)",
            " 2:bad usage",
            " 3:the task (or job) was CANCELLED",
            " 4:no result (or terminal job state) within --timeout",
            " 5:Kafka unreachable or another local error",
            " 6:the job COMPLETED with failed or cancelled items",
            " 7:no status for that job id",
            " 8:job fetch: items without a result (listed on stderr)",
            "130:interrupted (a cancel was sent)"})
public final class RsynthCommand {
    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log Kafka client activity and show stack traces.")
    boolean verbose;

    @Option(names = "--service", paramLabel = "URL", scope = ScopeType.INHERIT,
            defaultValue = "${env:RSYNTH_SERVICE:-http://localhost:8080}",
            description = "The service's HTTP address, asked for the task types it serves (default: $RSYNTH_SERVICE "
                    + "or ${DEFAULT-VALUE}).")
    String service;

    @Option(names = "--schemas", paramLabel = "DIR", scope = ScopeType.INHERIT,
            defaultValue = "${env:RSYNTH_HOME:-.}/schemas",
            description = "Local schemas directory, read for the task types when the service does not answer "
                    + "(default: ${DEFAULT-VALUE}).")
    Path schemas;

    @Spec
    CommandSpec spec;

    private CommandLine commandLine;

    /** Set by {@link Main}: on Ctrl-C, send a cancel for the task being awaited. */
    boolean cancelOnInterrupt;

    /** A configured command line: errors become exit code 5 with a one-line message (stack trace with -v). */
    public static CommandLine commandLine(boolean cancelOnInterrupt) {
        RsynthCommand root = new RsynthCommand();
        root.cancelOnInterrupt = cancelOnInterrupt;
        CommandLine cl = new CommandLine(root, new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                return cls == TaskTypeCandidates.class ? cls.cast(new TaskTypeCandidates(root))
                        : CommandLine.defaultFactory().create(cls);
            }
        });
        root.commandLine = cl;
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("rsynth: error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            if (root.verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.ERROR;
        });
        return cl;
    }

    /** {@code --service} as a URI; IllegalArgumentException names the option when it is not one. */
    URI serviceUri() {
        String service = orDefault(this.service, "--service");
        try {
            URI uri = new URI(service);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(service, "not an http://HOST:PORT address");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--service '" + service + "': " + e.getReason());
        }
    }

    /** {@code --schemas}, also when a parse error came before picocli applied the defaults. */
    Path schemas() {
        return schemas != null ? schemas : Path.of(orDefault(null, "--schemas"));
    }

    private String orDefault(String value, String option) {
        return value != null ? value : spec.findOption(option).defaultValue();
    }

    /** Where the command line's error stream goes (set by tests after construction). */
    PrintWriter err() {
        return commandLine.getErr();
    }
}
