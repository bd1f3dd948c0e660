package dev.robustsynth.cli.command;

import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code rsynth cancel}: publish a cancel command for one or more tasks. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = {"Ask the service to cancel tasks ({\"action\":\"cancel\",\"id\":…} on rsynth.control).",
    "The task's result (status CANCELLED) arrives on rsynth.results; `rsynth await ID` shows it."})
public final class CancelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Parameters(paramLabel = "ID", arity = "1..*", description = "Task ids.")
    List<String> ids;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (RsynthClient client = new RsynthClient(kafka.configBuilder().build())) {
            for (String id : ids) {
                client.cancel(id);
                out.println("cancel sent for " + id);
            }
            out.flush();
            return ExitCodes.SUCCEEDED;
        } catch (RsynthClientException e) {
            err.println("rsynth: error: " + e.getMessage());
            err.flush();
            return ExitCodes.ERROR;
        }
    }
}
