package dev.robustsynth.cli.command;

import dev.robustsynth.cli.TaskCatalog.TaskType;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rsynth tasks}: the task types the running service serves (its HTTP API at {@code --service}), with their
 * parameters; when the service does not answer, the local task schemas, said so on stderr.
 */
@Command(name = "tasks", mixinStandardHelpOptions = true, description = {"List the task types the service serves and their parameters "
        + "(GET /api/v1/tasks at --service).",
    "When the service does not answer, the local task schemas (--schemas DIR/tasks/*.v1.schema.json) are listed "
        + "instead, and stderr says so."})
public final class TasksCommand implements Callable<Integer> {
    @ParentCommand
    RsynthCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<TaskType> types;
        try {
            types = TaskTypes.load(root.serviceUri(), root.schemas(), err);
        } catch (IllegalArgumentException e) {
            err.println("rsynth: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        if (types.isEmpty()) {
            err.println("rsynth: no task types found (is the service running? is --schemas DIR or RSYNTH_HOME right?)");
            err.flush();
            return ExitCodes.ERROR;
        }
        for (TaskType t : types) {
            List<String> params = t.parameters().stream().map(p -> t.required().contains(p) ? p + "*" : p).toList();
            out.println(t.type() + (t.title().isEmpty() ? "" : "  — " + t.title())
                    + t.servedBy().map(s -> "   [" + s + "]").orElse(""));
            out.println("    params: " + (params.isEmpty() ? "(none)" : String.join(", ", params))
                    + (t.required().isEmpty() ? "" : "   (* required)"));
        }
        out.flush();
        return ExitCodes.SUCCEEDED;
    }
}
