package dev.robustsynth.service.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.robustsynth.service.intake.SchemaCatalog;
import dev.robustsynth.service.kafka.TopicSetup;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.service.testing.TestBroker;
import dev.robustsynth.service.testing.TopicRecorder;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs streams on a real broker, exactly_once_v2: a splitter stopped mid-job and started again with an empty
 * state directory (its stores restored from the changelogs) continues at the next index, counts an outcome seen
 * before the restart once, and the job's status is readable from the global store.
 */
class JobServiceRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    static JobValidator validator() throws Exception {
        SchemaCatalog schemas = new SchemaCatalog();
        try (InputStream in = JobServiceRestartTest.class.getResourceAsStream(
                "/schemas/tasks/generate.v1.schema.json")) {
            schemas.registerTask("generate", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        JobValidator validator = new JobValidator(schemas, new JobValidator.Catalog() {
            public Optional<com.networknt.schema.Schema> taskSchema(String type) {
                return schemas.task(type);
            }

            public Set<String> types() {
                return Set.of("generate");
            }

            public Optional<String> model(Optional<String> named) {
                return Optional.of("fashion-robust-l2");
            }

            public Set<String> models() {
                return Set.of("fashion-robust-l2");
            }
        }, List.of(), 1000);
        return validator;
    }

    /** A jobs service on the broker whose state directory is claimed as {@code <stateBase>/<instance>}. */
    static JobService start(String bootstrap, Path stateBase, String instance, Path out) throws Exception {
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", bootstrap);
        return new JobService(kafka, "rsynth-jobs-test", stateBase, instance, true, Optional.of((short) 1),
                new JobTopology.Settings("rsynth.jobs", "rsynth.jobs.status", "rsynth.tasks", "rsynth.results",
                        "rsynth.control", "rsynth.tasks.dlq", 2, Duration.ofSeconds(1), out, "/rsynth/test"),
                validator());
    }

    private JobService start(String bootstrap, String instance) throws Exception {
        return start(bootstrap, temp.resolve("state"), instance, temp.resolve("out"));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, String value)
            throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8))).get();
    }

    private static void answer(KafkaProducer<byte[], byte[]> producer, String item) throws Exception {
        send(producer, "rsynth.results", item, "{\"id\": \"" + item + "\", \"status\": \"SUCCEEDED\", \"images\": []}");
    }

    @Test
    void aRestartedSplitterContinuesWhereItStoppedAndCountsEachOutcomeOnce() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            Properties admin = new Properties();
            admin.put("bootstrap.servers", bootstrap);
            TopicSetup.ensure(admin, List.of("rsynth.jobs", "rsynth.jobs.status", "rsynth.tasks", "rsynth.results",
                    "rsynth.control", "rsynth.tasks.dlq"), 2, Optional.of((short) 1),
                    Map.of("rsynth.jobs.status", Map.of("cleanup.policy", "compact")));
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer()); TopicRecorder tasks = new TopicRecorder(bootstrap, "rsynth.tasks")) {
                JobService first = start(bootstrap, "state-1");
                send(producer, "rsynth.jobs", "r1", "{\"id\": \"r1\", \"type\": \"generate\", \"items\": "
                        + "{\"generator\": {\"classes\": [\"bag\", \"shirt\"], \"count\": 2}}}");
                tasks.await("r1/0", WAIT);
                tasks.await("r1/1", WAIT);
                answer(producer, "r1/0");
                tasks.await("r1/2", WAIT);
                first.close();

                JobService second = start(bootstrap, "state-2");
                try {
                    answer(producer, "r1/0"); // seen before the restart: not counted again
                    answer(producer, "r1/1");
                    tasks.await("r1/3", WAIT);
                    answer(producer, "r1/2");
                    answer(producer, "r1/3");
                    long until = System.nanoTime() + WAIT.toNanos();
                    String state = "";
                    while (System.nanoTime() < until && !state.equals("SUCCEEDED")) {
                        Thread.sleep(200);
                        try {
                            state = second.status("r1").map(v -> Json.parse(v).get("state").asString()).orElse("");
                        } catch (IllegalStateException notReady) {
                            state = "";
                        }
                    }
                    assertEquals("SUCCEEDED", state);
                    var status = Json.parse(second.status("r1").orElseThrow());
                    assertEquals(4, status.get("succeeded").intValue());
                    assertEquals(0, status.get("remaining").intValue());
                    for (int i = 0; i < 4; i++) {
                        assertEquals(1, tasks.records("r1/" + i).size(), "item " + i + " published once");
                    }
                    assertEquals(Optional.empty(), second.status("nope"));
                } finally {
                    second.close();
                }
            }
        }
    }
}
