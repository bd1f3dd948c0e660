package dev.robustsynth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.robustsynth.cli.WireFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rsynth tasks}: the task types and their parameters, read from the task schemas
 * ({@code schemas/tasks/<type>.v1.schema.json}) of a checkout or installation. It does not ask the
 * service: plugins a running service has loaded but whose schema is not here are not listed.
 */
@Command(name = "tasks", description = "List task types and their parameters from the task schemas (schemas/tasks/*.v1.schema.json).")
public final class TasksCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--schemas", paramLabel = "DIR", defaultValue = "${env:RSYNTH_HOME:-.}/schemas",
            description = "The schemas directory (default: ${DEFAULT-VALUE}).")
    Path schemas;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = schemas.resolve("tasks");
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().endsWith(".v1.schema.json")).sorted().forEach(files::add);
            }
        }
        if (files.isEmpty()) {
            err.println("rsynth: no task schemas in " + dir.toAbsolutePath() + " (use --schemas DIR or set RSYNTH_HOME)");
            err.flush();
            return ExitCodes.ERROR;
        }
        for (Path f : files) {
            String type = f.getFileName().toString().replace(".v1.schema.json", "");
            JsonNode schema = WireFormat.mapper().readTree(f.toFile());
            Set<String> required = new HashSet<>();
            schema.path("required").forEach(r -> required.add(r.asText()));
            List<String> params = new ArrayList<>();
            schema.path("properties").properties().forEach(e -> params.add(e.getKey()
                    + (required.contains(e.getKey()) ? "*" : "")));
            String title = schema.path("title").asText(schema.path("description").asText(""));
            out.println(type + (title.isEmpty() ? "" : "  — " + title));
            out.println("    params: " + (params.isEmpty() ? "(none)" : String.join(", ", params))
                    + (required.isEmpty() ? "" : "   (* required)"));
        }
        out.flush();
        return ExitCodes.SUCCEEDED;
    }
}
