package dev.robustsynth.cli.command;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The root {@code rsynth} command; {@link #commandLine} builds it the same way for main and for tests. */
@Command(name = "rsynth", mixinStandardHelpOptions = true, version = "rsynth 0.1.0 (wire contract v1)",
        description = "Submit image-synthesis tasks to RobustSynth over Kafka and collect the results.",
        subcommands = {SubmitCommand.class, AwaitCommand.class, CancelCommand.class, TasksCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            " 0:the task SUCCEEDED (or the command did its job)",
            " 1:the task FAILED (code and message on stderr)",
            " 2:bad usage",
            " 3:the task was CANCELLED",
            " 4:no result within --timeout",
            " 5:Kafka unreachable or another local error",
            "130:interrupted (a cancel was sent)"})
public final class RsynthCommand {
    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "Log Kafka client activity and show stack traces.")
    boolean verbose;

    /** Set by {@link Main}: on Ctrl-C, send a cancel for the task being awaited. */
    boolean cancelOnInterrupt;

    /** A configured command line: errors become exit code 5 with a one-line message (stack trace with -v). */
    public static CommandLine commandLine(boolean cancelOnInterrupt) {
        RsynthCommand root = new RsynthCommand();
        root.cancelOnInterrupt = cancelOnInterrupt;
        CommandLine cl = new CommandLine(root);
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
}
