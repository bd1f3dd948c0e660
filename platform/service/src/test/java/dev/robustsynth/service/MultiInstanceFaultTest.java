package dev.robustsynth.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.service.message.Json;
import dev.robustsynth.service.testing.ServiceProcess;
import dev.robustsynth.service.testing.TestImages;
import dev.robustsynth.service.testing.TopicRecorder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import kafka.server.BrokerServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers (KRaft, one separate controller) on loopback, the topics at replication 3 and min.insync.replicas 2,
 * and up to three service instances as separate JVMs in one group. It measures tasks/s with 1, 2 and 3 instances,
 * then runs 300 tasks while one instance is killed with kill -9 and, later, one broker is stopped and started
 * again; every id must end with exactly one committed outcome (read_committed) within the stated bound.
 */
class MultiInstanceFaultTest {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration RUN_BOUND = Duration.ofSeconds(150);
    private static final int PARTITIONS = 6;
    private static final int TASK_MILLIS = 100;
    private static final String PNG = "{\"data\": \"" + Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28))
            + "\"}";

    @TempDir
    Path temp;

    private Map<String, String> settings(String bootstrap, String instance) {
        Map<String, String> s = ServiceProcess.settings(temp, bootstrap, instance);
        s.put("rsynth.kafka.create-topics", "false");
        s.put("rsynth.worker-threads", "2");
        return s;
    }

    private static KafkaClusterTestKit cluster(Path dir) throws Exception {
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(false).setNumBrokerNodes(3).setNumControllerNodes(1).setBaseDirectory(dir).build())
                .setConfigProp("offsets.topic.replication.factor", "3")
                .setConfigProp("offsets.topic.num.partitions", "3")
                .setConfigProp("transaction.state.log.replication.factor", "3")
                .setConfigProp("transaction.state.log.min.isr", "2")
                .setConfigProp("transaction.state.log.num.partitions", "3")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("min.insync.replicas", "2")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return cluster;
    }

    private static void createTopics(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String t : List.of("rsynth.tasks", "rsynth.results", "rsynth.progress", "rsynth.control",
                    "rsynth.tasks.dlq", "rsynth.attempts")) {
                Map<String, String> config = new HashMap<>(Map.of("min.insync.replicas", "2"));
                if (t.equals("rsynth.attempts")) {
                    config.put("cleanup.policy", "compact");
                }
                topics.add(new NewTopic(t, Optional.of(PARTITIONS), Optional.of((short) 3)).configs(config));
            }
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** Sends {@code count} echo tasks round-robin over the partitions; returns their ids in order. */
    private static List<String> send(KafkaProducer<byte[], byte[]> producer, String prefix, int count)
            throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + "-" + i;
            ids.add(id);
            String value = "{\"id\": \"" + id + "\", \"type\": \"echo\", \"params\": {\"image\": " + PNG
                    + ", \"steps\": 1, \"delayMillis\": " + TASK_MILLIS + ", \"classify\": false}}";
            producer.send(new ProducerRecord<>("rsynth.tasks", i % PARTITIONS, id.getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
        return ids;
    }

    private static void awaitAll(TopicRecorder results, List<String> ids, Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        for (String id : ids) {
            results.await(id, Duration.ofNanos(Math.max(1, until - System.nanoTime())));
        }
    }

    private static double rate(TopicRecorder results, KafkaProducer<byte[], byte[]> producer, String phase,
                               int count) throws Exception {
        long start = System.nanoTime();
        awaitAll(results, send(producer, phase, count), START);
        double seconds = (System.nanoTime() - start) / 1e9;
        return count / seconds;
    }

    /** Per partition, the gap in committed results that spans {@code at}; the largest, in milliseconds. */
    private static long recoveryMillis(Map<String, Long> resultNanos, List<String> ids, long at) {
        long worst = 0;
        for (int p = 0; p < PARTITIONS; p++) {
            long before = Long.MIN_VALUE;
            long after = Long.MAX_VALUE;
            for (int i = p; i < ids.size(); i += PARTITIONS) {
                long t = resultNanos.get(ids.get(i));
                if (t <= at) {
                    before = Math.max(before, t);
                } else {
                    after = Math.min(after, t);
                }
            }
            if (after != Long.MAX_VALUE) {
                worst = Math.max(worst, (after - Math.max(before, at)) / 1_000_000);
            }
        }
        return worst;
    }

    @Test
    void threeInstancesOnThreeBrokersSurviveKillNineAndABrokerRestartWithOneOutcomePerId() throws Exception {
        long testStart = System.nanoTime();
        Path dir = Files.createDirectories(temp.resolve("kafka"));
        List<ServiceProcess> services = new ArrayList<>();
        try (KafkaClusterTestKit cluster = cluster(dir)) {
            String bootstrap = cluster.bootstrapServers();
            createTopics(bootstrap);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
                 TopicRecorder results = new TopicRecorder(bootstrap, "rsynth.results")) {
                double[] rates = new double[3];
                for (int n = 1; n <= 3; n++) {
                    ServiceProcess joining = ServiceProcess.start(temp.resolve("service-" + n + ".log"),
                            settings(bootstrap, "mi-" + n), START);
                    services.add(joining);
                    assertTrue(joining.awaitLog("tasks assigned", START), joining.tail());
                    rate(results, producer, "warm-" + n, 12); // the group settles on n members
                    rates[n - 1] = rate(results, producer, "rate-" + n, 60);
                }

                long runStart = System.nanoTime();
                List<String> ids = send(producer, "fault", 300);
                while (countDone(results, ids) < 100) {
                    Thread.sleep(20);
                }
                long killAt = System.nanoTime();
                services.get(0).kill();
                while (countDone(results, ids) < 200) {
                    Thread.sleep(20);
                }
                long brokerAt = System.nanoTime();
                BrokerServer broker = cluster.brokers().values().iterator().next();
                broker.shutdown();
                broker.awaitShutdown();
                broker.startup();
                awaitAll(results, ids, RUN_BOUND);
                long runMillis = (System.nanoTime() - runStart) / 1_000_000;
                Thread.sleep(2_000);

                Map<String, Long> resultNanos = new HashMap<>();
                for (String id : ids) {
                    List<ConsumerRecord<byte[], byte[]>> outcomes = results.records(id);
                    assertEquals(1, outcomes.size(), "one committed outcome for " + id);
                    assertEquals("SUCCEEDED", Json.parse(outcomes.get(0).value()).path("status").asString());
                    resultNanos.put(id, results.receivedNanos(id));
                }
                long killRecovery = recoveryMillis(resultNanos, ids, killAt);
                long brokerRecovery = recoveryMillis(resultNanos, ids, brokerAt);
                System.out.printf("MULTI-INSTANCE: tasks/s with 1, 2, 3 instances: %.1f, %.1f, %.1f; 300 tasks "
                                + "with kill -9 and a broker restart in %d ms; recovery after kill -9 %d ms, after "
                                + "the broker restart %d ms; whole test %d s%n", rates[0], rates[1], rates[2],
                        runMillis, killRecovery, brokerRecovery, (System.nanoTime() - testStart) / 1_000_000_000);
                assertTrue(runMillis < RUN_BOUND.toMillis(), "the faulty run took " + runMillis + " ms");
            }
        } finally {
            for (ServiceProcess s : services) {
                s.kill();
            }
        }
    }

    private static int countDone(TopicRecorder results, List<String> ids) {
        int done = 0;
        for (String id : ids) {
            if (!results.records(id).isEmpty()) {
                done++;
            }
        }
        return done;
    }
}
