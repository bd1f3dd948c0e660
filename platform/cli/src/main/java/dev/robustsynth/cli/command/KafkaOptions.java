package dev.robustsynth.cli.command;

import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.RsynthTopics;
import dev.robustsynth.cli.WireContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/** The options every command that talks to Kafka shares. */
public final class KafkaOptions {
    private static final String BOOTSTRAP = "bootstrap.servers";

    static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: kafka.bootstrap.servers of --config, "
                    + "$KAFKA_BOOTSTRAP_SERVERS, $RSYNTH_BOOTSTRAP or " + DEFAULT_BOOTSTRAP + ").")
    String bootstrap;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file of kafka.* client settings (kafka.security.protocol, "
                    + "kafka.sasl.jaas.config, kafka.ssl.truststore.*, ...): keeps passwords out of argv and "
                    + "shell history. -k and -b outrank it; it outranks $KAFKA_* variables.")
    Path configFile;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", defaultValue = "15s",
            converter = DurationConverter.class,
            description = "How long to wait for Kafka when connecting and publishing (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = {"-k", "--kafka-property"}, paramLabel = "KEY=VALUE",
            description = "Extra Kafka client property; repeatable. Environment variables KAFKA_<KEY> (e.g. "
                    + "KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_JAAS_CONFIG) set any client key too.")
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
        return configBuilder(System.getenv());
    }

    /**
     * Kafka client properties from, lowest first: {@code KAFKA_*} variables of {@code environment}, the
     * {@code --config} file, {@code -k} options. Bootstrap servers: {@code -b}, then the same order reversed
     * ({@code -k bootstrap.servers}, the file, {@code KAFKA_BOOTSTRAP_SERVERS}), then {@code RSYNTH_BOOTSTRAP},
     * then {@value #DEFAULT_BOOTSTRAP}.
     */
    RsynthClientConfig.Builder configBuilder(Map<String, String> environment) {
        Map<String, String> props = new LinkedHashMap<>(
                RsynthClientConfig.kafkaPropertiesFromEnvironment(environment));
        if (configFile != null) {
            warnIfOthersCanRead(configFile);
            props.putAll(RsynthClientConfig.kafkaPropertiesFromFile(configFile));
        }
        for (String kv : kafkaProperties) {
            String[] parts = RequestOptions.splitAssignment("--kafka-property", kv);
            props.put(parts[0], parts[1]);
        }
        String servers = bootstrap != null ? bootstrap
                : props.containsKey(BOOTSTRAP) ? props.get(BOOTSTRAP)
                : environment.getOrDefault("RSYNTH_BOOTSTRAP", DEFAULT_BOOTSTRAP);
        props.remove(BOOTSTRAP);
        return RsynthClientConfig.builder(servers)
                .connectTimeout(connectTimeout)
                .source("/rsynth/cli/" + hostName())
                .topics(new RsynthTopics(tasksTopic, resultsTopic, progressTopic, controlTopic))
                .kafkaProperties(props);
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ) || perms.contains(PosixFilePermission.GROUP_READ)) {
                System.err.println("warning: " + file + " is readable by other users; if it holds a password, "
                        + "chmod 600 it");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system, or unreadable: kafkaPropertiesFromFile reports the latter
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown-host";
        }
    }
}
