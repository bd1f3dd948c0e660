package dev.robustsynth.cli.command;

import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.RsynthTopics;
import dev.robustsynth.cli.WireContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every command that talks to Kafka shares. */
public final class KafkaOptions {
    @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT",
            defaultValue = "${env:RSYNTH_BOOTSTRAP:-localhost:9092}",
            description = "Kafka bootstrap servers (default: $RSYNTH_BOOTSTRAP or ${DEFAULT-VALUE}).")
    String bootstrap;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "15s",
            converter = DurationConverter.class,
            description = "How long to wait for Kafka when connecting and publishing (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = {"-k", "--kafka-property"}, paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property (security settings, …); repeatable.")
    List<String> kafkaProperties = new ArrayList<>();

    @Option(names = "--tasks-topic", defaultValue = WireContract.TASKS_TOPIC, hidden = true)
    String tasksTopic;
    @Option(names = "--results-topic", defaultValue = WireContract.RESULTS_TOPIC, hidden = true)
    String resultsTopic;
    @Option(names = "--progress-topic", defaultValue = WireContract.PROGRESS_TOPIC, hidden = true)
    String progressTopic;
    @Option(names = "--control-topic", defaultValue = WireContract.CONTROL_TOPIC, hidden = true)
    String controlTopic;

    RsynthClientConfig.Builder configBuilder() {
        RsynthClientConfig.Builder b = RsynthClientConfig.builder(bootstrap)
                .connectTimeout(connectTimeout)
                .source("/rsynth/cli/" + hostName())
                .topics(new RsynthTopics(tasksTopic, resultsTopic, progressTopic, controlTopic));
        for (String kv : kafkaProperties) {
            String[] parts = RequestOptions.splitAssignment("--kafka-property", kv);
            b.kafkaProperty(parts[0], parts[1]);
        }
        return b;
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }
}
