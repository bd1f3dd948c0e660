package dev.robustsynth.service.kafka;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * The {@code kafka.*} configuration keys with the prefix removed (as SmallRye Reactive Messaging reads them): the
 * settings of the channels ({@link KafkaChannelConfig}) and of the service's own group-less readers and admin
 * client, which get the settings they depend on (no group, manual commits, read_committed) on top.
 *
 * <p>Environment variables {@code KAFKA_<KEY>} set {@code kafka.<key>} for every Kafka client key (lower case,
 * {@code _} as {@code .}): the keys of {@link ConsumerConfig}, {@link ProducerConfig} and {@link AdminClientConfig},
 * plus Kafka's config-provider keys {@code config.providers.<alias>.class} and
 * {@code config.providers.<alias>.param.<name>}; other {@code KAFKA_*} variables ({@code KAFKA_HEAP_OPTS}, ...) are
 * ignored. An environment value is taken verbatim (no {@code ${...}} expansion by Quarkus), so a secret can be a
 * Kafka config-provider reference such as {@code ${directory:/etc/rsynth/kafka-sasl:password}}. A system property
 * {@code -Dkafka.<key>} outranks the variable, which outranks application.properties (MicroProfile ordinals).
 */
public final class KafkaSettings {
    public static final String PREFIX = "kafka.";
    public static final String BOOTSTRAP = "bootstrap.servers";

    private final Map<String, String> common;

    public KafkaSettings(Map<String, String> common) {
        this.common = Map.copyOf(requireNonNull(common, "common is null"));
    }

    /** Prefix of the environment variables that carry Kafka client keys. */
    public static final String ENV_PREFIX = "KAFKA_";
    /** The ordinal of MicroProfile's environment source: sources above it (system properties) outrank a variable. */
    static final int ENVIRONMENT_ORDINAL = 300;
    private static final Pattern PROVIDER_KEY = Pattern.compile("config\\.providers\\.[a-z0-9]+\\.(class|param\\..+)");
    private static final Set<String> CLIENT_KEYS = clientKeys();

    /** Every {@code kafka.*} key of {@code config}, and every {@code KAFKA_*} client key of the process environment. */
    public static KafkaSettings fromConfig(Config config) {
        return fromConfig(config, System.getenv());
    }

    /** Every {@code kafka.*} key of {@code config}, and every {@code KAFKA_*} client key of {@code environment}. */
    public static KafkaSettings fromConfig(Config config, Map<String, String> environment) {
        Map<String, String> props = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length()) {
                config.getOptionalValue(name, String.class).ifPresent(v -> props.put(name.substring(PREFIX.length()), v));
            }
        }
        config.getOptionalValue(PREFIX + BOOTSTRAP, String.class).ifPresent(v -> props.put(BOOTSTRAP, v));
        fromEnvironment(environment).forEach((key, value) -> {
            ConfigValue configured = config.getConfigValue(PREFIX + key);
            if (configured.getValue() == null || configured.getSourceOrdinal() <= ENVIRONMENT_ORDINAL) {
                props.put(key, value);
            }
        });
        return new KafkaSettings(props);
    }

    /**
     * The Kafka client keys among {@code KAFKA_*} variables: {@code KAFKA_SASL_JAAS_CONFIG} is
     * {@code sasl.jaas.config}, {@code KAFKA_CONFIG_PROVIDERS_DIRECTORY_CLASS} is
     * {@code config.providers.directory.class}; names that are no client key are left out.
     */
    public static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> props = new HashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length() && value != null) {
                String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                if (CLIENT_KEYS.contains(key) || PROVIDER_KEY.matcher(key).matches()) {
                    props.put(key, value);
                }
            }
        });
        return props;
    }

    private static Set<String> clientKeys() {
        Set<String> keys = new HashSet<>(ConsumerConfig.configNames());
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        return Set.copyOf(keys);
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
