package dev.robustsynth.service.playground;

import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.RsynthTopics;
import dev.robustsynth.service.ServiceAssembly;
import dev.robustsynth.service.ServiceLifecycle;
import dev.robustsynth.service.config.RsynthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import dev.robustsynth.service.kafka.KafkaSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The playground's only contact with the service's Kafka edge: where the cluster is (the configured bootstrap
 * servers, or the embedded broker's once it runs) and the names of the four client topics. The gateway is a Kafka
 * client like {@code bin/rsynth}; re-pointing it means changing this class only.
 */
@ApplicationScoped
public class PlaygroundKafka {
    @Inject
    ServiceLifecycle lifecycle;

    @Inject
    RsynthConfig config;

    /** The bootstrap servers the service itself uses; empty while the service is not started. */
    public Optional<String> bootstrapServers() {
        ServiceAssembly assembly = lifecycle.assembly();
        return assembly == null ? Optional.empty() : assembly.kafka().bootstrapServers();
    }

    /**
     * The gateway's Kafka client settings without the bootstrap servers: the service's ({@code kafka.*} and
     * {@code KAFKA_*}: the same TLS, config providers and timeouts as the service's own clients), with the keys of
     * {@code rsynth.playground.kafka-config} on top (the gateway's own login on a secured cluster); empty while the
     * service is not started.
     *
     * @throws IllegalArgumentException when that file cannot be read or holds a key that is not {@code kafka.*}
     */
    public Map<String, String> clientProperties() {
        ServiceAssembly assembly = lifecycle.assembly();
        if (assembly == null) {
            return Map.of();
        }
        Map<String, String> props = new HashMap<>(assembly.kafka().common());
        config.playgroundKafkaConfig().ifPresent(file -> props.putAll(RsynthClientConfig.kafkaPropertiesFromFile(file)));
        props.remove(KafkaSettings.BOOTSTRAP);
        return props;
    }

    public RsynthTopics topics() {
        RsynthConfig.Topics t = config.topics();
        return new RsynthTopics(t.tasks(), t.results(), t.progress(), t.control());
    }
}
