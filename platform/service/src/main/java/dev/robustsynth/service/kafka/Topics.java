package dev.robustsynth.service.kafka;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.service.config.RsynthConfig;
import java.util.List;

/** The topic names the service uses: the five of the wire contract and its own attempts topic. */
public record Topics(String tasks, String results, String progress, String control, String dlq, String attempts) {
    public Topics {
        requireNonNull(tasks, "tasks is null");
        requireNonNull(results, "results is null");
        requireNonNull(progress, "progress is null");
        requireNonNull(control, "control is null");
        requireNonNull(dlq, "dlq is null");
        requireNonNull(attempts, "attempts is null");
    }

    public static Topics defaults() {
        return new Topics("rsynth.tasks", "rsynth.results", "rsynth.progress", "rsynth.control", "rsynth.tasks.dlq",
                "rsynth.attempts");
    }

    public static Topics of(RsynthConfig.Topics config) {
        return new Topics(config.tasks(), config.results(), config.progress(), config.control(), config.dlq(),
                config.attempts());
    }

    public List<String> all() {
        return List.of(tasks, results, progress, control, dlq, attempts);
    }
}
