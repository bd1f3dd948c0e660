package dev.robustsynth.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.TaskSubmission;
import dev.robustsynth.service.config.RsynthConfig;
import dev.robustsynth.service.kafka.KafkaSettings;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.service.testing.TestImages;
import dev.robustsynth.service.testing.TestModels;
import dev.robustsynth.service.testing.TopicRecorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At-least-once across a restart, with the real consumer loop and the embedded default broker: a task running
 * when the service stops (shutdown grace shorter than the task) is neither answered nor committed, and after a
 * restart on the same data directory it is redelivered, completes, and is committed.
 */
class RedeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    private RsynthConfig config(int port) throws Exception {
        Map<String, String> props = new HashMap<>(TestModels.config(temp, false));
        props.put("rsynth.kafka.embedded.dir", temp.resolve("kafka").toString());
        props.put("rsynth.kafka.embedded.port", Integer.toString(port));
        props.put("rsynth.kafka.partitions", "1");
        props.put("rsynth.plugins-dir", temp.resolve("plugins").toString());
        props.put("rsynth.results-dir", temp.resolve("results").toString());
        props.put("rsynth.shutdown-grace", "PT0.3S"); // ISO-8601: plain SmallRye has no "300ms" converter
        props.put("rsynth.worker-threads", "1");
        props.put("rsynth.instance", "redelivery-test");
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(props, "test", 500))
                .withMapping(RsynthConfig.class).build();
        return config.getConfigMapping(RsynthConfig.class);
    }

    private static ServiceAssembly start(RsynthConfig config) {
        return ServiceAssembly.start(config, new KafkaSettings(Map.of()), new SimpleMeterRegistry(),
                RedeliveryTest.class.getClassLoader());
    }

    @Test
    void aTaskRunningAtShutdownIsRedeliveredAfterRestartAndCompletes() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        RsynthConfig config = config(port);
        String bootstrap = "localhost:" + port;
        String id = "redeliver-1";

        ServiceAssembly first = start(config);
        assertTrue(first.embedded().isPresent(), "no kafka.bootstrap.servers: the embedded broker runs");
        try (RsynthClient client = new RsynthClient(RsynthClientConfig.of(bootstrap));
             TopicRecorder progress = new TopicRecorder(bootstrap, "rsynth.progress")) {
            client.submit(TaskSubmission.builder("echo").id(id).image("image", TestImages.greyPng(28, 28))
                    .param("steps", 8).param("delayMillis", 250).param("classify", false).build());
            progress.await(id, WAIT);
        }
        long stopping = System.nanoTime();
        first.close(); // grace 300 ms < the task's 2 s: left uncommitted
        long stopMillis = (System.nanoTime() - stopping) / 1_000_000;
        assertTrue(stopMillis < 20_000, "shutdown took " + stopMillis + " ms");

        ServiceAssembly second = start(config);
        try (TopicRecorder results = new TopicRecorder(bootstrap, "rsynth.results")) {
            ConsumerRecord<byte[], byte[]> result = results.await(id, WAIT);
            assertEquals("SUCCEEDED", Json.parse(result.value()).path("status").asString(),
                    new String(result.value()));
            Thread.sleep(500);
            assertEquals(1, results.records(id).size(), "the first run published nothing");
            Properties admin = new Properties();
            admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            try (Admin a = Admin.create(admin)) {
                long until = System.nanoTime() + WAIT.toNanos();
                OffsetAndMetadata committed = null;
                while (System.nanoTime() < until) {
                    committed = a.listConsumerGroupOffsets("rsynth-service").partitionsToOffsetAndMetadata().get()
                            .get(new TopicPartition("rsynth.tasks", 0));
                    if (committed != null && committed.offset() == 1) {
                        break;
                    }
                    Thread.sleep(100);
                }
                assertEquals(1, committed == null ? -1 : committed.offset(), "committed after the outcome");
            }
        } finally {
            second.close();
        }
    }
}
