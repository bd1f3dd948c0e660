package dev.robustsynth.service.kafka;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.Config;

/**
 * Client properties for every Kafka client of the service: all {@code kafka.*} configuration keys with the prefix
 * removed (as SmallRye Reactive Messaging does), plus the settings exactly-once processing depends on (manual
 * commits, read_committed, transactions), which cannot be overridden.
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

    /**
     * The tasks consumer: offsets committed only in the outcome transactions, read_committed, cooperative-sticky
     * assignment by default, bytes in (the DLQ keeps them unchanged).
     */
    public Properties taskConsumer(String groupId, String clientId, int maxPollRecords) {
        Properties p = base(clientId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** A group-less consumer reading committed records only (the outcome index). */
    public Properties committedReader(String clientId) {
        Properties p = controlConsumer(clientId);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return p;
    }

    /**
     * The producer of outcomes: transactional (the transaction also commits the consumed offsets). Its transactions
     * last one poll step, so the transaction timeout defaults to 10 s instead of Kafka's 60 s: a transaction left
     * open by an instance that died blocks every read_committed reader of its partitions until it times out.
     */
    public Properties transactionalProducer(String clientId, String transactionalId, int maxRequestBytes) {
        Properties p = producer(clientId, maxRequestBytes);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "10000");
        return p;
    }

    /** The control consumer: no group, it assigns itself every partition and reads from the end. */
    public Properties controlConsumer(String clientId) {
        Properties p = base(clientId);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** The producer of results, progress and dead letters: acks=all, idempotent. */
    public Properties producer(String clientId, int maxRequestBytes) {
        Properties p = base(clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putIfAbsent(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(maxRequestBytes));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
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
