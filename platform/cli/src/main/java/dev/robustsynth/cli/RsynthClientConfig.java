package dev.robustsynth.cli;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

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
