package dev.robustsynth.service;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.service.message.Json;
import dev.robustsynth.service.testing.ServiceProcess;
import dev.robustsynth.service.testing.TestBroker;
import dev.robustsynth.service.testing.TestImages;
import dev.robustsynth.service.testing.TopicRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Exactly one outcome per task id for a read_committed reader, with the service as separate JVMs: a record that
 * finished above a still-running one is not run again after a kill -9; a resubmitted id gets its first outcome
 * again; partitions revoked while their tasks run (a second instance joins) publish nothing twice.
 */
class ExactlyOnceTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String PNG = "{\"data\": \"" + Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28))
            + "\"}";

    @TempDir
    Path temp;

    private Map<String, String> settings(String bootstrap, String instance, int partitions, int workers) {
        Map<String, String> s = ServiceProcess.settings(temp, bootstrap, instance);
        s.put("rsynth.kafka.partitions", Integer.toString(partitions));
        s.put("rsynth.worker-threads", Integer.toString(workers));
        return s;
    }

    private static String echo(String id, int steps, int delayMillis) {
        return "{\"id\": \"" + id + "\", \"type\": \"echo\", \"params\": {\"image\": " + PNG + ", \"steps\": " + steps
                + ", \"delayMillis\": " + delayMillis + ", \"classify\": false}}";
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, Integer partition, String id, String value)
            throws Exception {
        producer.send(new ProducerRecord<>("rsynth.tasks", partition, id.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8))).get();
    }

    @Test
    void aRecordFinishedAboveARunningOneIsNotRunAgainAfterKillNineAndAResubmittedIdGetsItsFirstOutcome()
            throws Exception {
        try (TestBroker broker = TestBroker.start();
             KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrapServers())) {
            String bootstrap = broker.bootstrapServers();
            ServiceProcess first = ServiceProcess.start(temp.resolve("a.log"), settings(bootstrap, "eo-a", 1, 2),
                    WAIT);
            ServiceProcess second = null;
            try (TopicRecorder results = new TopicRecorder(bootstrap, "rsynth.results")) {
                send(producer, 0, "slow", echo("slow", 40, 250)); // about 10 s
                send(producer, 0, "fast", echo("fast", 1, 0));
                results.await("fast", WAIT); // committed, with the partition's offset still at "slow"
                first.kill();
                second = ServiceProcess.start(temp.resolve("b.log"), settings(bootstrap, "eo-b", 1, 2), WAIT);
                JsonNode slow = Json.parse(results.await("slow", WAIT).value());
                assertEquals("SUCCEEDED", slow.path("status").asString(), slow.toString());
                assertEquals("eo-b", slow.path("provenance").path("runtime").path("instance").asString(),
                        "the task killed with the first instance ran on the second");
                Thread.sleep(2_000);
                assertEquals(1, results.records("fast").size(), "the redelivered finished record did not run again");
                assertEquals(1, results.records("slow").size());

                send(producer, 0, "fast", echo("fast", 3, 0)); // the same id again, other parameters
                long until = System.nanoTime() + WAIT.toNanos();
                while (results.records("fast").size() < 2 && System.nanoTime() < until) {
                    Thread.sleep(50);
                }
                List<ConsumerRecord<byte[], byte[]>> fast = results.records("fast");
                assertEquals(2, fast.size(), "the resubmission is answered");
                assertArrayEquals(fast.get(0).value(), fast.get(1).value(), "with the first outcome, unchanged");
            } finally {
                if (second != null) {
                    second.close();
                }
                first.kill();
            }
        }
    }

    /**
     * One long task per partition, all four running (four workers) when a second instance joins: whichever
     * partitions the rebalance moves, their running tasks are cancelled on the first instance and rerun on the
     * second, and each id still has one committed outcome. Which partitions a fetch delivers first is the broker's
     * choice, so the tasks that must be in flight are sent, and seen running, before the join.
     */
    @Test
    void partitionsRevokedWhileTheirTasksRunPublishNoDuplicateOutcome() throws Exception {
        try (TestBroker broker = TestBroker.start();
             KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrapServers())) {
            String bootstrap = broker.bootstrapServers();
            ServiceProcess first = ServiceProcess.start(temp.resolve("a.log"), settings(bootstrap, "rv-a", 4, 4),
                    WAIT);
            ServiceProcess second = null;
            List<String> ids = new ArrayList<>();
            try (TopicRecorder results = new TopicRecorder(bootstrap, "rsynth.results");
                 TopicRecorder progress = new TopicRecorder(bootstrap, "rsynth.progress")) {
                for (int partition = 0; partition < 4; partition++) {
                    String id = "rv-long-" + partition;
                    ids.add(id);
                    send(producer, partition, id, echo(id, 120, 250)); // about 30 s, longer than a join takes
                }
                for (String id : ids) {
                    progress.await(id, WAIT);
                }
                second = ServiceProcess.start(temp.resolve("b.log"), settings(bootstrap, "rv-b", 4, 4), WAIT);
                for (int i = 0; i < 8; i++) {
                    String id = "rv-" + i;
                    ids.add(id);
                    send(producer, i % 4, id, echo(id, 1, 0));
                }
                Set<String> instances = new HashSet<>();
                for (String id : ids) {
                    JsonNode result = Json.parse(results.await(id, WAIT).value());
                    assertEquals("SUCCEEDED", result.path("status").asString(), result.toString());
                    instances.add(result.path("provenance").path("runtime").path("instance").asString());
                }
                Thread.sleep(3_000);
                for (String id : ids) {
                    assertEquals(1, results.records(id).size(), "one committed outcome for " + id);
                }
                assertTrue(first.log().contains("they publish nothing"), "tasks in flight were cancelled on "
                        + "revocation:\n" + first.tail());
                assertTrue(instances.contains("rv-b"), "the joining instance took partitions over: " + instances
                        + "\nits log ends:\n" + second.tail() + "\nthe first's log ends:\n" + first.tail());
            } finally {
                if (second != null) {
                    second.close();
                }
                first.close();
            }
        }
    }

    /**
     * A second instance started with the same name (so the same transactional id) fences the first: its next
     * transaction is refused, its committer stops, and its liveness check fails so that it is restarted; nothing it
     * had not committed is committed by it, and the successor serves on.
     */
    @Test
    void anInstanceFencedByASuccessorWithItsNameFailsLivenessAndCommitsNothingMore() throws Exception {
        try (TestBroker broker = TestBroker.start();
             KafkaProducer<byte[], byte[]> producer = producer(broker.bootstrapServers());
             TopicRecorder results = new TopicRecorder(broker.bootstrapServers(), "rsynth.results")) {
            String bootstrap = broker.bootstrapServers();
            ServiceProcess first = ServiceProcess.start(temp.resolve("twin-a.log"), settings(bootstrap, "twin", 2, 2),
                    WAIT);
            ServiceProcess second = null;
            try {
                send(producer, 0, "before", echo("before", 1, 0));
                results.await("before", WAIT);
                second = ServiceProcess.start(temp.resolve("twin-b.log"), settings(bootstrap, "twin", 2, 2), WAIT);
                HttpClient http = HttpClient.newHttpClient();
                URI live = URI.create("http://localhost:" + first.httpPort() + "/q/health/live");
                List<String> ids = new ArrayList<>();
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(live).build(),
                        HttpResponse.BodyHandlers.ofString());
                long until = System.nanoTime() + WAIT.toNanos();
                for (int i = 0; health.statusCode() == 200 && System.nanoTime() < until; i++) {
                    String id = "twin-" + i;
                    ids.add(id);
                    send(producer, i % 2, id, echo(id, 1, 0));
                    Thread.sleep(300);
                    health = http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString());
                }
                assertEquals(503, health.statusCode(), "the fenced instance's liveness: " + health.body());
                assertTrue(health.body().contains("fenced"), health.body());
                first.kill(); // as Kubernetes would restart it
                for (String id : ids) {
                    JsonNode result = Json.parse(results.await(id, WAIT).value());
                    assertEquals("SUCCEEDED", result.path("status").asString(), result.toString());
                }
                Thread.sleep(2_000);
                for (String id : ids) {
                    assertEquals(1, results.records(id).size(), "one committed outcome for " + id);
                }
            } finally {
                if (second != null) {
                    second.close();
                }
                first.kill();
            }
        }
    }
}
