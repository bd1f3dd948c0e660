package dev.robustsynth.service.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.service.kafka.TopicSetup;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.service.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the jobs streams start inside a service that must not fail because of them (the two ways the first version
 * took ExactlyOnceTest and MultiInstanceFaultTest down): on a broker without the job topics the service starts,
 * reports what it waits for and starts streaming once they exist; a second live service with the same instance
 * name on the host runs in a state directory of its own instead of failing on the first one's lock; the
 * directories sit under the Kafka cluster's id.
 */
class JobServiceStartTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> TOPICS = List.of("rsynth.jobs", "rsynth.jobs.status", "rsynth.tasks",
            "rsynth.results", "rsynth.control", "rsynth.tasks.dlq");

    @TempDir
    Path temp;

    private static JobService.Health await(JobService service, Predicate<JobService.Health> until) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        JobService.Health h = service.health();
        while (!until.test(h) && System.nanoTime() < end) {
            Thread.sleep(100);
            h = service.health();
        }
        assertTrue(until.test(h), "health stayed " + h);
        return h;
    }

    private static boolean running(JobService.Health h) {
        return h.streams().equals(Optional.of(KafkaStreams.State.RUNNING));
    }

    @Test
    void waitsForMissingTopicsThenStreamsAndATwinInstanceGetsItsOwnStateDirectory() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            Path states = temp.resolve("states");
            Properties admin = new Properties();
            admin.put("bootstrap.servers", bootstrap);
            Path ofCluster;
            try (Admin a = Admin.create(admin)) {
                ofCluster = states.resolve(a.describeCluster().clusterId().get());
            }
            try (JobService first = JobServiceRestartTest.start(bootstrap, states, "same", temp.resolve("out"))) {
                JobService.Health waiting = await(first, h -> h.phase() == JobService.Phase.WAITING_FOR_TOPICS);
                assertTrue(waiting.up(), "waiting for topics is not a failure: " + waiting);
                assertTrue(waiting.detail().orElse("").contains("rsynth.jobs.status"), waiting.toString());
                assertThrows(IllegalStateException.class, () -> first.status("j"));

                TopicSetup.ensure(admin, TOPICS, 2, Optional.of((short) 1),
                        Map.of("rsynth.jobs.status", Map.of("cleanup.policy", "compact")));
                await(first, JobServiceStartTest::running);
                assertEquals(Optional.empty(), first.status("nope"));

                Path twinDir = ofCluster.resolve("same-" + ProcessHandle.current().pid());
                try (JobService twin = JobServiceRestartTest.start(bootstrap, states, "same", temp.resolve("out"))) {
                    await(twin, JobServiceStartTest::running);
                    assertTrue(Files.isDirectory(twinDir), "the twin streams in " + twinDir);
                    Properties p = new Properties();
                    p.put("bootstrap.servers", bootstrap);
                    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                            new ByteArraySerializer())) {
                        producer.send(new ProducerRecord<>("rsynth.jobs", "j".getBytes(StandardCharsets.UTF_8),
                                "{\"id\": \"j\", \"type\": \"generate\", \"items\": {\"list\": []}}"
                                        .getBytes(StandardCharsets.UTF_8))).get();
                    }
                    for (JobService s : List.of(first, twin)) {
                        long end = System.nanoTime() + WAIT.toNanos();
                        Optional<byte[]> st = Optional.empty();
                        while (st.isEmpty() && System.nanoTime() < end) {
                            Thread.sleep(100);
                            st = s.status("j");
                        }
                        assertEquals("JOB_NO_ITEMS", Json.parse(st.orElseThrow()).path("error").path("code")
                                .asString(), "each instance reads every job's status");
                    }
                }
                assertFalse(Files.exists(twinDir), "the twin's directory is deleted on close");
                assertEquals(JobService.Phase.STREAMING, first.health().phase());
            }
            assertTrue(Files.isDirectory(ofCluster.resolve("same")), "the named instance's directory is kept, under "
                    + "the cluster's id");
        }
    }
}
