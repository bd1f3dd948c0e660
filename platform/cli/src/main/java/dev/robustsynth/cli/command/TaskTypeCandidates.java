package dev.robustsynth.cli.command;

import dev.robustsynth.cli.TaskCatalog.TaskType;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;

/**
 * The values picocli shows for {@code submit -t} ({@code ${COMPLETION-CANDIDATES}}): the task types of
 * {@link TaskTypes}, looked up once, when a help text first needs them (never for a plain submit).
 */
final class TaskTypeCandidates implements Iterable<String> {
    private final RsynthCommand root;
    private List<String> types;

    TaskTypeCandidates(RsynthCommand root) {
        this.root = root;
    }

    @Override
    public synchronized Iterator<String> iterator() {
        if (types == null) {
            PrintWriter err = root.err();
            try {
                types = TaskTypes.load(root.serviceUri(), root.schemas(), err).stream().map(TaskType::type).toList();
            } catch (IOException | IllegalArgumentException e) {
                err.println("rsynth: no task types to show: " + e.getMessage());
                err.flush();
                types = List.of();
            }
        }
        return types.iterator();
    }
}
