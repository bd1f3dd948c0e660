package dev.robustsynth.cli;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How a {@link RsynthClient} reaches Kafka.
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}
 * @param topics           topic names (the contract's by default)
 * @param source           the {@code ce_source} of the records this client publishes
 * @param connectTimeout   how long opening the client and publishing a record may wait for Kafka
 * @param listenFrom       where following results and progress starts: empty = the end of the topics
 *                         when the client opens (nothing published later is missed); a time = the first
 *                         records at or after it (to pick up the result of a task submitted earlier)
 * @param kafkaProperties  extra client properties (security, timeouts), applied to producer and consumer
 */
public record RsynthClientConfig(String bootstrapServers, RsynthTopics topics, String source,
                                 Duration connectTimeout, Optional<Instant> listenFrom,
                                 Map<String, String> kafkaProperties) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);
    /** Prefix of the Kafka client keys in a config file (as in the service's configuration). */
    public static final String KAFKA_PREFIX = "kafka.";
    /** Prefix of the environment variables that carry Kafka client properties. */
    public static final String ENV_PREFIX = "KAFKA_";

    public RsynthClientConfig {
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        requireNonNull(topics, "topics is null");
        requireNonNull(source, "source is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(listenFrom, "listenFrom is null");
        kafkaProperties = Map.copyOf(requireNonNull(kafkaProperties, "kafkaProperties is null"));
        if (bootstrapServers.isBlank()) {
            throw new IllegalArgumentException("bootstrapServers is blank");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
        }
    }

    /**
     * The Kafka client properties in the environment: {@code KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config},
     * {@code KAFKA_BOOTSTRAP_SERVERS} is {@code bootstrap.servers}, and so for every key (upper case, {@code .} as
     * {@code _}). Only names that are producer or consumer configuration keys count, so Kafka's own script
     * variables ({@code KAFKA_HEAP_OPTS}, {@code KAFKA_HOME}, ...) are left alone.
     */
    public static Map<String, String> kafkaPropertiesFromEnvironment(Map<String, String> environment) {
        Map<String, String> byEnvName = new TreeMap<>();
        for (String key : clientKeys()) {
            byEnvName.put(ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'), key);
        }
        Map<String, String> props = new TreeMap<>();
        environment.forEach((name, value) -> {
            String key = byEnvName.get(name);
            if (key != null) {
                props.put(key, value);
            }
        });
        return props;
    }

    /**
     * The Kafka client properties of a properties file of {@code kafka.*} keys (the prefix removed), e.g.
     * {@code kafka.sasl.jaas.config=...}, so that passwords stay out of argv and shell history.
     *
     * @throws IllegalArgumentException when it cannot be read or holds a key without the {@code kafka.} prefix
     */
    public static Map<String, String> kafkaPropertiesFromFile(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read Kafka config file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> props = new TreeMap<>();
        List<String> foreign = new ArrayList<>();
        for (String name : p.stringPropertyNames()) {
            if (name.startsWith(KAFKA_PREFIX) && name.length() > KAFKA_PREFIX.length()) {
                props.put(name.substring(KAFKA_PREFIX.length()), p.getProperty(name).strip());
            } else {
                foreign.add(name);
            }
        }
        if (!foreign.isEmpty()) {
            throw new IllegalArgumentException("Kafka config file " + file + " may hold only kafka.* keys, found "
                    + foreign.stream().sorted().toList());
        }
        return props;
    }

    private static Set<String> clientKeys() {
        Set<String> keys = new HashSet<>(ProducerConfig.configNames());
        keys.addAll(ConsumerConfig.configNames());
        return keys;
    }

    /** {@code 3s}, {@code 10m}, {@code 1h30m}, {@code 0.5s}: a duration as people write it. */
    static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }

    /** The contract's topics, a 15 s connect timeout, following from the end. */
    public static RsynthClientConfig of(String bootstrapServers) {
        return builder(bootstrapServers).build();
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** Builds a {@link RsynthClientConfig}; every setting but the bootstrap servers has a default. */
    public static final class Builder {
        private final String bootstrapServers;
        private RsynthTopics topics = RsynthTopics.defaults();
        private String source = "/rsynth/client/" + hostName();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Optional<Instant> listenFrom = Optional.empty();
        private final Map<String, String> kafkaProperties = new LinkedHashMap<>();

        private Builder(String bootstrapServers) {
            this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        }

        public Builder topics(RsynthTopics topics) {
            this.topics = topics;
            return this;
        }

        public Builder source(String source) {
            this.source = source;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder listenFrom(Instant listenFrom) {
            this.listenFrom = Optional.of(listenFrom);
            return this;
        }

        public Builder kafkaProperty(String key, String value) {
            kafkaProperties.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
            return this;
        }

        /** Adds every entry; later ones replace earlier ones of the same key. */
        public Builder kafkaProperties(Map<String, String> properties) {
            properties.forEach(this::kafkaProperty);
            return this;
        }

        public RsynthClientConfig build() {
            return new RsynthClientConfig(bootstrapServers, topics, source, connectTimeout, listenFrom, kafkaProperties);
        }

        private static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "unknown-host";
            }
        }
    }
}
