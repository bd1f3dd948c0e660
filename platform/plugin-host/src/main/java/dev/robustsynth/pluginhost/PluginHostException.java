package dev.robustsynth.pluginhost;

import java.util.List;

/** The host cannot start: the message lists every problem (conflicting plugins, invalid configuration, ...). */
public class PluginHostException extends RuntimeException {
    private final List<String> problems;

    public PluginHostException(List<String> problems) {
        super(problems.size() == 1 ? problems.get(0)
                : "the plugin host cannot start: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public PluginHostException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    public List<String> problems() {
        return problems;
    }
}
