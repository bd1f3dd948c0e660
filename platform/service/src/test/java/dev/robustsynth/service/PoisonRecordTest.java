package dev.robustsynth.service;

import static dev.robustsynth.service.testing.TopicRecorder.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.pluginhost.PluginJars;
import dev.robustsynth.service.kafka.DeadLetterHeaders;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.service.testing.ServiceProcess;
import dev.robustsynth.service.testing.TestBroker;
import dev.robustsynth.service.testing.TestImages;
import dev.robustsynth.service.testing.TopicRecorder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The service as its own JVM, fed what used to stop it: {@code file:///dev/zero}, a symlink out of the image root,
 * a record whose check outlasts the intake timeout, and a record whose task halts the JVM (a test plugin calls
 * {@code Runtime.halt}). The halting record is counted
 * across restarts; after three attempts it is quarantined as POISON_RECORD with a dead letter, and both partitions
 * go on serving.
 */
class PoisonRecordTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int HALT_STATUS = 86;

    @TempDir
    Path temp;

    private static final String HALT_PLUGIN = """
            package com.example.halt;

            import dev.robustsynth.spi.*;
            import java.util.*;

            public final class HaltPlugin implements RobustSynthPlugin {
                @Override public String spiVersion() { return SpiVersion.CURRENT; }
                @Override public String name() { return "halt-plugin"; }
                @Override public Collection<TaskFactory<?>> taskFactories() {
                    return List.of(new TaskFactory<TaskRequest>() {
                        @Override public TaskDescriptor descriptor() {
                            return new TaskDescriptor("halt", "1.0.0", "halts the JVM (test)",
                                    "{\\"type\\": \\"object\\"}", Set.of(), List.of("image/png"));
                        }
                        @Override public TaskRequest validate(ValidationContext context) { return context.request(); }
                        @Override public SynthesisTask create(TaskRequest plan) {
                            return context -> { Runtime.getRuntime().halt(%d); return null; };
                        }
                    }, new TaskFactory<TaskRequest>() {
                        @Override public TaskDescriptor descriptor() {
                            return new TaskDescriptor("slow-check", "1.0.0", "validates for a minute (test)",
                                    "{\\"type\\": \\"object\\"}", Set.of(), List.of("image/png"));
                        }
                        @Override public TaskRequest validate(ValidationContext context) {
                            try { Thread.sleep(60_000); } catch (InterruptedException e) { }
                            return context.request();
                        }
                        @Override public SynthesisTask create(TaskRequest plan) {
                            return context -> new TaskResult(List.of(), Map.of());
                        }
                    });
                }
            }
            """.formatted(HALT_STATUS);

    private Map<String, String> settings(String bootstrap, Path images) throws Exception {
        Map<String, String> s = ServiceProcess.settings(temp, bootstrap, "poison");
        PluginJars.build(temp.resolve("plugins"), "halt.jar", Map.of("com.example.halt.HaltPlugin", HALT_PLUGIN),
                "com.example.halt.HaltPlugin", Map.of());
        s.put("rsynth.kafka.partitions", "2");
        s.put("rsynth.worker-threads", "1");
        s.put("rsynth.image-uri-roots", images + ",/dev");
        s.put("rsynth.intake-timeout", "PT3S");
        return s;
    }

    private static String echo(String id, String image) {
        return "{\"id\": \"" + id + "\", \"type\": \"echo\", \"params\": {\"image\": " + image
                + ", \"steps\": 1, \"classify\": false}}";
    }

    @Test
    void devZeroASymlinkOutOfTheRootASlowCheckAndARecordThatHaltsTheJvmThreeTimesLeaveEveryPartitionServing()
            throws Exception {
        Path images = Files.createDirectories(temp.resolve("images"));
        Path outside = Files.write(Files.createDirectories(temp.resolve("elsewhere")).resolve("secret.png"),
                TestImages.greyPng(28, 28));
        Files.createSymbolicLink(images.resolve("link.png"), outside);
        try (TestBroker broker = TestBroker.start()) {
            Map<String, String> settings = settings(broker.bootstrapServers(), images);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            int runs = 0;
            ServiceProcess service = ServiceProcess.start(temp.resolve("service-" + runs + ".log"), settings, WAIT);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
                 TopicRecorder results = new TopicRecorder(broker.bootstrapServers(), "rsynth.results");
                 TopicRecorder dlq = new TopicRecorder(broker.bootstrapServers(), "rsynth.tasks.dlq")) {
                send(producer, 0, "dev-zero", echo("dev-zero", "{\"uri\": \"file:///dev/zero\"}"));
                send(producer, 1, "symlink", echo("symlink", "{\"uri\": \"" + images.resolve("link.png").toUri()
                        + "\"}"));
                for (String id : new String[] {"dev-zero", "symlink"}) {
                    JsonNode failed = Json.parse(results.await(id, WAIT).value());
                    assertEquals("IMAGE_URI_REFUSED", failed.path("error").path("code").asString(), failed.toString());
                    assertFalse(failed.toString().contains("secret") || failed.toString().contains("elsewhere"),
                            "nothing outside the root is named: " + failed);
                    dlq.await(id, WAIT);
                }

                long sent = System.nanoTime();
                send(producer, 1, "slow-check", "{\"id\": \"slow-check\", \"type\": \"slow-check\", \"params\": {}}");
                JsonNode slow = Json.parse(results.await("slow-check", WAIT).value());
                assertEquals("INTAKE_TIMEOUT", slow.path("error").path("code").asString(), slow.toString());
                long slowMillis = (System.nanoTime() - sent) / 1_000_000;
                assertTrue(slowMillis < 30_000, "refused after the 3 s intake timeout, not the minute: " + slowMillis);

                send(producer, 0, "halts", "{\"id\": \"halts\", \"type\": \"halt\", \"params\": {}}");
                for (int attempt = 1; attempt <= 3; attempt++) {
                    assertEquals(HALT_STATUS, service.awaitExit(WAIT), "attempt " + attempt + " halts the JVM");
                    runs++;
                    service = ServiceProcess.start(temp.resolve("service-" + runs + ".log"), settings, WAIT);
                }
                ConsumerRecord<byte[], byte[]> poison = results.await("halts", WAIT);
                JsonNode quarantined = Json.parse(poison.value());
                assertEquals("FAILED", quarantined.path("status").asString());
                assertEquals("POISON_RECORD", quarantined.path("error").path("code").asString(), quarantined.toString());
                assertEquals(1, results.records("halts").size(), "one outcome");
                ConsumerRecord<byte[], byte[]> letter = dlq.await("halts", WAIT);
                assertEquals("POISON_RECORD", header(letter, DeadLetterHeaders.CODE));
                assertTrue(service.alive(), "the fourth service runs on");

                String png = "{\"data\": \"" + Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28)) + "\"}";
                for (int partition = 0; partition < 2; partition++) {
                    String id = "good-" + partition;
                    send(producer, partition, id, echo(id, png));
                    JsonNode good = Json.parse(results.await(id, WAIT).value());
                    assertEquals("SUCCEEDED", good.path("status").asString(), good.toString());
                }
            } finally {
                service.close();
            }
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, int partition, String key, String value)
            throws Exception {
        producer.send(new ProducerRecord<>("rsynth.tasks", partition, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8))).get();
    }
}
