package dev.robustsynth.service.kafka;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.Config;

/**
 * The {@code kafka.*} configuration keys with the prefix removed (as SmallRye Reactive Messaging reads them): the
 * settings of the channels ({@link KafkaChannelConfig}) and of the service's own group-less readers and admin
 * client, which get the settings they depend on (no group, manual commits, read_committed) on top.
 */
public final class KafkaSettings {
    public static final String PREFIX = "kafka.";
    public static final String BOOTSTRAP = "bootstrap.servers";

    private final Map<String, String> common;

    public KafkaSettings(Map<String, String> common) {
        this.common = Map.copyOf(requireNonNull(common, "common is null"));
    }

    /** Every {@code kafka.*} key of {@code config}. */
    public static KafkaSettings fromConfig(Config config) {
        Map<String, String> props = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
                config.getOptionalValue(name, String.class).ifPresent(v -> props.put(name.substring(PREFIX.length()), v));
            }
        }
        config.getOptionalValue(PREFIX + BOOTSTRAP, String.class).ifPresent(v -> props.put(BOOTSTRAP, v));
        return new KafkaSettings(props);
    }

    public Optional<String> bootstrapServers() {
        return Optional.ofNullable(common.get(BOOTSTRAP)).map(String::strip).filter(s -> !s.isEmpty());
    }

    public KafkaSettings withBootstrapServers(String servers) {
        Map<String, String> copy = new HashMap<>(common);
        copy.put(BOOTSTRAP, servers);
        return new KafkaSettings(copy);
    }

    public Map<String, String> common() {
        return common;
    }

    /** A group-less consumer reading committed records only (the outcome index). */
    public Properties committedReader(String clientId) {
        Properties p = reader(clientId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    /** A group-less consumer of bytes that assigns itself partitions (the attempts log). */
    public Properties reader(String clientId) {
        Properties p = base(clientId);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    public Properties admin(String clientId) {
        return base(clientId);
    }

    private Properties base(String clientId) {
        Properties p = new Properties();
        p.putAll(common);
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        if (!p.containsKey(BOOTSTRAP)) {
            throw new IllegalStateException("kafka.bootstrap.servers is not set (and no embedded broker started)");
        }
        return p;
    }
}
