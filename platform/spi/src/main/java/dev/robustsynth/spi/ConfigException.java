package dev.robustsynth.spi;

import java.util.List;

/** A configuration has problems; {@link #problems()} lists all of them. */
public class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(String owner, List<String> problems) {
        super("invalid configuration of " + owner + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
