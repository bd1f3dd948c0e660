package dev.robustsynth.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.cli.ProgressEvent;
import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.TaskOutcome;
import dev.robustsynth.cli.TaskStatus;
import dev.robustsynth.cli.TaskTimeoutException;
import dev.robustsynth.cli.WireContract;
import dev.robustsynth.service.testing.SecuredBroker;
import dev.robustsynth.service.testing.ServiceProcess;
import dev.robustsynth.service.testing.StrimziKafka;
import dev.robustsynth.service.testing.TopicRecorder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every ACL of {@code rsynth-service} in deploy/k8s/kafka/users.yaml is needed: for each one, a fresh secured broker
 * carries all of users.yaml but that ACL, the packaged service starts on it exactly as in {@link SecuredServiceTest},
 * and its job (start, a task to SUCCEEDED with progress, a malformed record to FAILED plus its dead letter, a cancel)
 * must break somewhere; with all of them it must not. It starts a broker and a service per ACL (about a minute each
 * here), so it runs only with {@code -Drsynth.acl-minimality=true}; it writes what broke without each ACL to
 * {@code target/acl-minimality.md}.
 */
@EnabledIfSystemProperty(named = "rsynth.acl-minimality", matches = "true")
class ServiceAclMinimalityTest {
    @TempDir
    Path temp;

    @Test
    void theServiceBreaksWithoutAnyOneOfItsAclsAndWorksWithAll() throws Exception {
        List<AclBinding> own = StrimziKafka.users().stream().filter(u -> u.name().equals(SecuredBroker.SERVICE.user()))
                .findFirst().orElseThrow().acls();
        Map<String, String> broken = new LinkedHashMap<>();
        Optional<String> withAll = probe(temp.resolve("all"), acl -> true);
        assertEquals(Optional.empty(), withAll, "with every ACL of users.yaml");
        int i = 0;
        for (AclBinding removed : own) {
            String what = describe(removed);
            Optional<String> failure = probe(temp.resolve("without-" + i++), acl -> !acl.equals(removed));
            broken.put(what, failure.orElse("NOTHING BROKE"));
        }
        StringBuilder table = new StringBuilder("| rsynth-service without | what broke |\n|---|---|\n");
        broken.forEach((acl, failure) -> table.append("| ").append(acl).append(" | ").append(failure).append(" |\n"));
        Files.writeString(Path.of("target", "acl-minimality.md"), table);
        System.out.println(table);
        for (var e : broken.entrySet()) {
            assertTrue(!e.getValue().equals("NOTHING BROKE"), e.getKey() + " is not needed:\n" + table);
        }
    }

    private static String describe(AclBinding acl) {
        var p = acl.pattern();
        return p.resourceType().name().toLowerCase() + " " + p.name() + (p.patternType().name().equals("PREFIXED")
                ? "*" : "") + " " + acl.entry().operation().name();
    }

    /** The service's job on a broker with the ACLs {@code keep} accepts: empty when it all worked, else what broke. */
    private static Optional<String> probe(Path work, Predicate<AclBinding> keep) throws Exception {
        Files.createDirectories(work);
        try (SecuredBroker broker = SecuredBroker.start(work.resolve("broker"), keep)) {
            ServiceProcess service;
            try {
                service = ServiceProcess.start(work.resolve("service.log"), SecuredServiceTest.settings(work),
                        SecuredServiceTest.environment(broker, work), Duration.ofSeconds(60));
            } catch (IllegalStateException e) {
                return Optional.of("the service does not start" + kafkaRefusal(Files.readString(
                        work.resolve("service.log"), StandardCharsets.ISO_8859_1)));
            }
            try (RsynthClient client = new RsynthClient(RsynthClientConfig.builder(broker.bootstrapServers())
                    .kafkaProperties(broker.clientProperties(SecuredBroker.CLIENT))
                    .listenFrom(Instant.now().minusSeconds(5)).build())) {
                return job(broker, client).map(f -> f + kafkaRefusal(service.log()));
            } finally {
                service.kill();
            }
        }
    }

    private static Optional<String> job(SecuredBroker broker, RsynthClient client) throws Exception {
        List<ProgressEvent> progress = new ArrayList<>();
        String ok = "acl-ok-" + UUID.randomUUID();
        try {
            TaskOutcome outcome = client.run(SecuredServiceTest.echo(ok, 3, 0).build(), Duration.ofSeconds(30),
                    progress::add);
            if (outcome.status() != TaskStatus.SUCCEEDED) {
                return Optional.of("a task ended " + outcome.status() + " " + outcome.error());
            }
        } catch (TaskTimeoutException e) {
            return Optional.of("no result for a task within 30 s");
        }
        if (progress.isEmpty()) {
            return Optional.of("a task succeeded without any progress event");
        }
        try (TopicRecorder attempts = new TopicRecorder(broker.superUserConfig(), "rsynth.attempts")) {
            Instant until = Instant.now().plusSeconds(10);
            while (attempts.keys().isEmpty() && Instant.now().isBefore(until)) {
                Thread.sleep(100);
            }
            if (attempts.keys().isEmpty()) {
                return Optional.of("a task ran without its attempt being counted on rsynth.attempts (a record "
                        + "that crashes the service would never be quarantined)");
            }
        }
        String bad = "acl-bad-" + UUID.randomUUID();
        try (TopicRecorder dlq = new TopicRecorder(broker.superUserConfig(), WireContract.DLQ_TOPIC);
             KafkaProducer<byte[], byte[]> producer = producer(broker)) {
            client.watch(bad);
            producer.send(new ProducerRecord<>(WireContract.TASKS_TOPIC, bad.getBytes(StandardCharsets.UTF_8),
                    "hello {".getBytes(StandardCharsets.UTF_8))).get();
            try {
                TaskOutcome outcome = client.awaitResult(bad, Duration.ofSeconds(20), p -> { });
                if (!outcome.error().map(e -> e.code().equals("NOT_JSON")).orElse(false)) {
                    return Optional.of("a malformed record ended " + outcome.status() + " " + outcome.error());
                }
            } catch (TaskTimeoutException e) {
                return Optional.of("no result for a malformed record within 20 s");
            }
            try {
                dlq.await(bad, Duration.ofSeconds(10));
            } catch (AssertionError | RuntimeException e) {
                return Optional.of("no dead letter within 10 s");
            }
        }
        String cancelled = "acl-cancel-" + UUID.randomUUID();
        client.submit(SecuredServiceTest.echo(cancelled, 100, 200).build());
        List<ProgressEvent> running = new ArrayList<>();
        Instant until = Instant.now().plusSeconds(20);
        while (running.isEmpty() && Instant.now().isBefore(until)) {
            try {
                TaskOutcome early = client.awaitResult(cancelled, Duration.ofMillis(500), running::add);
                return Optional.of("a long task ended " + early.status() + " before it could be cancelled");
            } catch (TaskTimeoutException stillRunning) {
                // what we wait for is its first progress event
            }
        }
        client.cancel(cancelled);
        try {
            TaskOutcome outcome = client.awaitResult(cancelled, Duration.ofSeconds(30), p -> { });
            if (outcome.status() != TaskStatus.CANCELLED) {
                return Optional.of("a cancelled task ended " + outcome.status());
            }
        } catch (TaskTimeoutException e) {
            return Optional.of("no result for a cancelled task within 30 s");
        }
        return Optional.empty();
    }

    /** The first Kafka authorization refusal in the service's log, as a hint of which client it hit. */
    private static String kafkaRefusal(String log) {
        return log.lines().filter(l -> l.contains("AUTHORIZATION_FAILED") || l.contains("Not authorized")
                        || l.contains("AuthorizationException") || l.contains("Authorization failed")).findFirst()
                .map(l -> "; log: " + l.strip().substring(0, Math.min(l.strip().length(), 220)).replace('|', '/'))
                .orElse("");
    }

    private static KafkaProducer<byte[], byte[]> producer(SecuredBroker broker) {
        Properties p = broker.clientConfig(SecuredBroker.CLIENT);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        return new KafkaProducer<>(p);
    }
}
