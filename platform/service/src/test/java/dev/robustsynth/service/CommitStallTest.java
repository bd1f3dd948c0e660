package dev.robustsynth.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * When the broker goes away while a task runs, the finished outcome cannot be committed: the service reports
 * commits frozen once that lasts past rsynth.kafka.commit-stall-bound (readiness DOWN), and not before.
 */
class CommitStallTest {
    @TempDir
    Path temp;

    @Test
    void commitsFrozenPastTheBoundWhenTheBrokerIsGone() throws Exception {
        TestBroker broker = TestBroker.start();
        Map<String, String> settings = new HashMap<>(ServiceProcess.settings(temp, broker.bootstrapServers(),
                "stall"));
        settings.put("rsynth.kafka.commit-stall-bound", "PT3S");
        settings.put("rsynth.kafka.partitions", "1");
        settings.put("kafka.max.block.ms", "5000");
        settings.put("kafka.request.timeout.ms", "5000");
        ServiceProcess service = ServiceProcess.start(temp.resolve("service.log"), settings, Duration.ofSeconds(90));
        HttpClient http = HttpClient.newHttpClient();
        URI ready = URI.create("http://localhost:" + service.httpPort() + "/q/health/ready");
        boolean brokerUp = true;
        try {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            String value = "{\"id\": \"stall-1\", \"type\": \"echo\", \"params\": {\"image\": {\"data\": \""
                    + Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28)) + "\"}, \"steps\": 6, "
                    + "\"delayMillis\": 500, \"classify\": false}}";
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
                 TopicRecorder progress = new TopicRecorder(broker.bootstrapServers(), "rsynth.progress")) {
                producer.send(new ProducerRecord<>("rsynth.tasks", "stall-1".getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8))).get();
                progress.await("stall-1", Duration.ofSeconds(60));
            }
            JsonNode before = kafkaCheck(http, ready);
            assertTrue(before.path("data").path("msCommitsFrozen").asLong() < 3000, before.toString());
            assertFalse(before.path("data").has("reason"), "commits flow: " + before);
            broker.close(); // the task finishes into a dead cluster
            brokerUp = false;
            long closed = System.nanoTime();
            long until = closed + Duration.ofSeconds(60).toNanos();
            JsonNode check = before;
            while (!check.path("data").path("reason").asString("").contains("commit-stall-bound")
                    && System.nanoTime() < until) {
                Thread.sleep(200);
                check = kafkaCheck(http, ready);
            }
            long frozenAfterMillis = (System.nanoTime() - closed) / 1_000_000;
            assertEquals("DOWN", check.path("status").asString(), check.toString());
            assertTrue(check.path("data").path("reason").asString("").contains("commit-stall-bound"),
                    check.toString());
            assertTrue(frozenAfterMillis >= 3000, "reported frozen " + frozenAfterMillis + " ms after the broker "
                    + "went, before the 3 s bound");
        } finally {
            service.kill(); // its clients would wait for the dead broker at a graceful close
            if (brokerUp) {
                broker.close();
            }
        }
    }

    /** The rsynth-kafka readiness check of the service's /q/health/ready. */
    private static JsonNode kafkaCheck(HttpClient http, URI ready) throws Exception {
        String body = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode check : Json.parse(body.getBytes(StandardCharsets.UTF_8)).path("checks")) {
            if (check.path("name").asString().equals("rsynth-kafka")) {
                return check;
            }
        }
        throw new AssertionError("no rsynth-kafka check in " + body);
    }
}
