package dev.robustsynth.cli.command;

import dev.robustsynth.cli.TaskCatalog;
import dev.robustsynth.cli.TaskCatalog.TaskType;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The one source of task types for {@code rsynth tasks} and {@code submit --help}: the service at {@code --service}
 * when it answers, else the local task schemas, with a line on stderr saying which and why.
 */
final class TaskTypes {
    private TaskTypes() {
    }

    /** The task types; IOException only when the service does not answer and the local schemas are unreadable. */
    static List<TaskType> load(URI service, Path schemas, PrintWriter err) throws IOException {
        try {
            List<TaskType> served = TaskCatalog.fromService(service);
            err.println("rsynth: task types served by " + service);
            return served;
        } catch (IOException e) {
            Path dir = schemas.resolve("tasks").toAbsolutePath().normalize();
            err.println("rsynth: the service at " + service + " did not answer (" + reason(e)
                    + "); falling back to the local task schemas in " + dir
                    + ", which may differ from what a service serves (set --service URL or RSYNTH_SERVICE)");
            return TaskCatalog.fromSchemas(dir);
        } finally {
            err.flush();
        }
    }

    private static String reason(IOException e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }
}
