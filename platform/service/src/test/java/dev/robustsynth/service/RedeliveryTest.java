package dev.robustsynth.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.TaskSubmission;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.service.testing.ServiceProcess;
import dev.robustsynth.service.testing.TestImages;
import dev.robustsynth.service.testing.TopicRecorder;
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
 * Redelivery across a restart of the packaged service on its embedded default broker: a task running when the
 * service stops (shutdown grace shorter than the task) is neither answered nor committed, and after a
 * restart on the same data directory it is redelivered, completes, and is committed.
 */
class RedeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    private Map<String, String> settings(int port) {
        Map<String, String> props = new HashMap<>(ServiceProcess.settings(temp, null, "redelivery-test"));
        props.put("rsynth.kafka.embedded.dir", temp.resolve("kafka").toString());
        props.put("rsynth.kafka.embedded.port", Integer.toString(port));
        props.put("rsynth.kafka.partitions", "1");
        props.put("rsynth.shutdown-grace", "PT0.3S");
        props.put("rsynth.worker-threads", "1");
        return props;
    }

    @Test
    void aTaskRunningAtShutdownIsRedeliveredAfterRestartAndCompletes() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, String> settings = settings(port);
        String bootstrap = "localhost:" + port;
        String id = "redeliver-1";

        ServiceProcess first = ServiceProcess.start(temp.resolve("first.log"), settings, WAIT);
        assertTrue(first.log().contains("(embedded)"), "no kafka.bootstrap.servers: the embedded broker runs");
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

        ServiceProcess second = ServiceProcess.start(temp.resolve("second.log"), settings, WAIT);
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
