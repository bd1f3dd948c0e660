package dev.robustsynth.service.kafka;

import dev.robustsynth.service.ServiceAssembly;
import dev.robustsynth.service.ServiceLifecycle;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;

/**
 * The computed part of each channel's Kafka configuration, found by SmallRye under the channel's name: the
 * {@code kafka.*} settings with the bootstrap servers of the cluster or of the embedded broker (known only once the
 * service has started it), the topic names of {@code rsynth.topics.*}, client ids, the tasks channel's
 * {@code max.poll.records}. The fixed settings are {@code mp.messaging.*} keys in application.properties (also the
 * group and transactional ids: Quarkus gives both a default at the channel level, which a map cannot override); any
 * {@code mp.messaging.[incoming|outgoing].<channel>.<key>} overrides both (SmallRye's precedence).
 */
@ApplicationScoped
public class KafkaChannelConfig {
    /** Channel names (and the identifiers of their configuration maps). */
    public static final String TASKS = "tasks", CONTROL = "control", RESULTS = "results", PROGRESS = "progress",
            ATTEMPTS = "attempts";

    @Inject
    ServiceLifecycle lifecycle;

    @Produces
    @Identifier(TASKS)
    Map<String, Object> tasks() {
        ServiceAssembly s = lifecycle.assembly();
        Map<String, Object> c = common("tasks", s.topics().tasks());
        c.put("max.poll.records", Math.max(1, Math.min(s.capacity(), 50)));
        return c;
    }

    @Produces
    @Identifier(CONTROL)
    Map<String, Object> control() {
        return common("control", lifecycle.assembly().topics().control());
    }

    /**
     * Results and dead letters, in the outcome transactions. A transaction lasts one commit step, so its timeout
     * defaults to 10 s instead of Kafka's 60 s: a transaction left open by an instance that died holds every
     * {@code read_committed} reader of its partitions until the broker aborts it.
     */
    @Produces
    @Identifier(RESULTS)
    Map<String, Object> results() {
        ServiceAssembly s = lifecycle.assembly();
        Map<String, Object> c = common("results", s.topics().results());
        c.putIfAbsent("transaction.timeout.ms", 10_000);
        c.putIfAbsent("max.request.size", s.maxRecordBytes());
        return c;
    }

    @Produces
    @Identifier(PROGRESS)
    Map<String, Object> progress() {
        Map<String, Object> c = common("progress", lifecycle.assembly().topics().progress());
        c.putIfAbsent("max.request.size", lifecycle.assembly().maxRecordBytes());
        return c;
    }

    @Produces
    @Identifier(ATTEMPTS)
    Map<String, Object> attempts() {
        return common("attempts", lifecycle.assembly().topics().attempts());
    }

    private Map<String, Object> common(String client, String topic) {
        ServiceAssembly s = lifecycle.assembly();
        Map<String, Object> c = new HashMap<>(s.kafka().common());
        c.put("topic", topic);
        c.put("client.id", "rsynth-" + client + "-" + s.instance());
        return c;
    }
}
