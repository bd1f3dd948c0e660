package dev.robustsynth.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.service.kafka.DeadLetterHeaders;
import dev.robustsynth.service.kafka.TopicSetup;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Bulk jobs in the packaged service, one process: without its job topics (rsynth.kafka.create-topics=false) it
 * serves tasks, says in {@code GET /jobs/{id}} (503) and readiness what it waits for, and starts jobs once the topics
 * exist (404 JOB_UNKNOWN, then 200); a second submission of a running job's id is refused under a key of its own
 * (the job's status stays RUNNING) with a dead letter; cancel-job cancels the published items, publishes no more
 * and ends the job CANCELLED with a manifest of every item.
 */
class JobsProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String PNG = java.util.Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28));

    @TempDir
    Path temp;

    private static HttpResponse<String> get(HttpClient http, ServiceProcess service, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + service.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> await(HttpClient http, ServiceProcess service, String path,
                                              Predicate<HttpResponse<String>> until) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        HttpResponse<String> r = get(http, service, path);
        while (!until.test(r) && System.nanoTime() < end) {
            Thread.sleep(200);
            r = get(http, service, path);
        }
        assertTrue(until.test(r), path + " stayed " + r.statusCode() + " " + r.body() + "\n" + service.tail());
        return r;
    }

    private static String state(HttpResponse<String> r) {
        return r.statusCode() != 200 ? "" : Json.parse(r.body().getBytes(StandardCharsets.UTF_8)).path("state")
                .asString();
    }

    private static RecordMetadata send(KafkaProducer<byte[], byte[]> producer, String topic, String key,
                                       String value) throws Exception {
        return producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8))).get();
    }

    /** A service on topics the test creates, with its jobs' output and state under the test's directory. */
    private Map<String, String> settingsOnOwnTopics(String bootstrap, String instance) {
        Map<String, String> s = ServiceProcess.settings(temp, bootstrap, instance);
        s.put("rsynth.kafka.create-topics", "false");
        s.put("rsynth.jobs.output-root", temp.resolve("jobs").toString());
        s.put("rsynth.jobs.state-dir", temp.resolve("streams").toString());
        return s;
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void jobsWaitForTheirTopicsWithoutStoppingTasksThenRunRefuseAReusedIdAndCancel() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            Properties admin = new Properties();
            admin.put("bootstrap.servers", bootstrap);
            TopicSetup.ensure(admin, List.of("rsynth.tasks", "rsynth.results", "rsynth.progress", "rsynth.control",
                    "rsynth.tasks.dlq", "rsynth.attempts"), 2, Optional.of((short) 1),
                    Map.of("rsynth.attempts", Map.of("cleanup.policy", "compact")));
            Map<String, String> s = settingsOnOwnTopics(bootstrap, "jp-a");
            s.put("rsynth.worker-threads", "2");
            try (ServiceProcess service = ServiceProcess.start(temp.resolve("service.log"), s, WAIT);
                 KafkaProducer<byte[], byte[]> producer = producer(bootstrap);
                 TopicRecorder results = new TopicRecorder(bootstrap, "rsynth.results");
                 TopicRecorder dlq = new TopicRecorder(bootstrap, "rsynth.tasks.dlq")) {
                HttpClient http = HttpClient.newHttpClient();
                HttpResponse<String> waiting = await(http, service, "/jobs/slow",
                        r -> r.statusCode() == 503 && r.body().contains("WAITING_FOR_TOPICS"));
                assertTrue(waiting.body().contains("rsynth.jobs.status"), waiting.body());
                assertTrue(get(http, service, "/q/health/ready").body().contains("WAITING_FOR_TOPICS"));
                send(producer, "rsynth.tasks", "plain", "{\"id\": \"plain\", \"type\": \"echo\", \"params\": "
                        + "{\"image\": {\"data\": \"" + PNG + "\"}, \"steps\": 1, \"classify\": false}}");
                assertEquals("SUCCEEDED", Json.parse(results.await("plain", WAIT).value()).path("status").asString(),
                        "tasks are served while jobs wait");

                TopicSetup.ensure(admin, List.of("rsynth.jobs", "rsynth.jobs.status"), 2, Optional.of((short) 1),
                        Map.of("rsynth.jobs.status", Map.of("cleanup.policy", "compact")));
                HttpResponse<String> unknown = await(http, service, "/jobs/slow", r -> r.statusCode() == 404);
                assertTrue(unknown.body().contains("JOB_UNKNOWN"), unknown.body());

                String job = "{\"id\": \"slow\", \"type\": \"echo\", \"window\": 2, \"params\": {\"image\": {\"data\":"
                        + " \"" + PNG + "\"}, \"steps\": 40, \"delayMillis\": 250, \"classify\": false}, "
                        + "\"items\": {\"list\": [{}, {}, {}, {}, {}, {}]}}";
                send(producer, "rsynth.jobs", "slow", job);
                await(http, service, "/jobs/slow", r -> state(r).equals("RUNNING"));

                try (TopicRecorder status = new TopicRecorder(bootstrap, "rsynth.jobs.status")) {
                    RecordMetadata again = send(producer, "rsynth.jobs", "slow", job);
                    String key = "slow/refused/" + again.partition() + "-" + again.offset();
                    JsonNode refused = Json.parse(status.await(key, WAIT).value());
                    assertEquals("FAILED", refused.get("state").asString());
                    assertEquals("JOB_ID_IN_USE", refused.get("error").get("code").asString());
                    assertEquals(again.offset(), refused.get("submission").get("offset").longValue());
                    assertEquals("JOB_ID_IN_USE", TopicRecorder.header(dlq.await("slow", WAIT),
                            DeadLetterHeaders.CODE));
                    assertEquals("RUNNING", state(get(http, service, "/jobs/slow")), "the running job keeps its id");
                }

                send(producer, "rsynth.control", "slow", "{\"action\": \"cancel-job\", \"id\": \"slow\"}");
                HttpResponse<String> done = await(http, service, "/jobs/slow", r -> state(r).equals("CANCELLED"));
                JsonNode st = Json.parse(done.body().getBytes(StandardCharsets.UTF_8));
                assertEquals(6, st.get("succeeded").intValue() + st.get("cancelled").intValue(), st.toString());
                assertTrue(st.get("cancelled").intValue() >= 4, "the unpublished items are cancelled: " + st);
                assertTrue(st.get("published").intValue() <= 4, "nothing much published after the cancel: " + st);
                assertEquals(0, st.get("remaining").intValue());
                for (int i = 0; i < st.get("published").intValue(); i++) {
                    assertEquals(1, results.records("slow/" + i).size(), "one outcome for published item " + i);
                }
                List<String> manifest = Files.readAllLines(temp.resolve("jobs/slow/manifest.jsonl"));
                assertEquals(6, manifest.size());
                assertEquals("CANCELLED", Json.parse(manifest.get(5).getBytes(StandardCharsets.UTF_8)).get("status")
                        .asString());
            }
        }
    }
    /**
     * With a commit linger, the outcomes of a job's items share transactions (on a one-partition results topic each
     * transaction is one run of consecutive offsets, a commit marker between runs), while an interactive task that
     * finishes during a linger is committed at once instead of waiting it out.
     */
    @Test
    void aJobsOutcomesShareTransactionsWhileAnInteractiveOutcomeIsNotHeld() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            Properties admin = new Properties();
            admin.put("bootstrap.servers", bootstrap);
            TopicSetup.ensure(admin, List.of("rsynth.results"), 1, Optional.of((short) 1), Map.of());
            TopicSetup.ensure(admin, List.of("rsynth.tasks", "rsynth.progress", "rsynth.control", "rsynth.tasks.dlq",
                    "rsynth.attempts", "rsynth.jobs", "rsynth.jobs.status"), 2, Optional.of((short) 1),
                    Map.of("rsynth.attempts", Map.of("cleanup.policy", "compact"),
                            "rsynth.jobs.status", Map.of("cleanup.policy", "compact")));
            Map<String, String> s = settingsOnOwnTopics(bootstrap, "jp-b");
            s.put("rsynth.jobs.commit-linger", "PT4S");
            try (ServiceProcess service = ServiceProcess.start(temp.resolve("service.log"), s, WAIT);
                 KafkaProducer<byte[], byte[]> producer = producer(bootstrap);
                 TopicRecorder results = new TopicRecorder(bootstrap, "rsynth.results")) {
                HttpClient http = HttpClient.newHttpClient();
                await(http, service, "/jobs/linger", r -> r.statusCode() == 404);
                int items = 12;
                StringBuilder list = new StringBuilder();
                for (int i = 0; i < items; i++) {
                    list.append(i == 0 ? "" : ", ").append("{\"delayMillis\": ").append(150 * i).append('}');
                }
                send(producer, "rsynth.jobs", "linger", "{\"id\": \"linger\", \"type\": \"echo\", \"window\": "
                        + items + ", \"params\": {\"image\": {\"data\": \"" + PNG + "\"}, \"steps\": 1,"
                        + " \"classify\": false}, \"items\": {\"list\": [" + list + "]}}");
                await(http, service, "/jobs/linger", r -> state(r).equals("RUNNING"));
                Thread.sleep(1000); // the items finished so far wait in a linger
                long sent = System.nanoTime();
                send(producer, "rsynth.tasks", "now", "{\"id\": \"now\", \"type\": \"echo\", \"params\": "
                        + "{\"image\": {\"data\": \"" + PNG + "\"}, \"steps\": 1, \"classify\": false}}");
                results.await("now", WAIT);
                Duration interactive = Duration.ofNanos(System.nanoTime() - sent);
                assertTrue(interactive.compareTo(Duration.ofSeconds(3)) < 0,
                        "the interactive outcome waited " + interactive + " (the bulk linger is 4 s)");
                await(http, service, "/jobs/linger", r -> state(r).equals("SUCCEEDED"));
                List<Long> offsets = new ArrayList<>();
                for (int i = 0; i < items; i++) {
                    List<ConsumerRecord<byte[], byte[]>> r = results.records("linger/" + i);
                    assertEquals(1, r.size(), "one outcome for item " + i);
                    offsets.add(r.get(0).offset());
                }
                Collections.sort(offsets);
                int transactions = 1;
                for (int i = 1; i < offsets.size(); i++) {
                    if (offsets.get(i) - offsets.get(i - 1) > 1 && !onlyOthersBetween(results, offsets, i)) {
                        transactions++;
                    }
                }
                assertTrue(transactions <= 3, items + " item outcomes, 150 ms apart, took " + transactions
                        + " transactions (offsets " + offsets + "); without a linger each takes its own");
            }
        }
    }

    /** Whether only other tasks' records (the interactive one) lie between two offsets, no commit marker. */
    private static boolean onlyOthersBetween(TopicRecorder results, List<Long> offsets, int i) {
        long from = offsets.get(i - 1);
        long to = offsets.get(i);
        long others = results.records("now").stream().filter(r -> r.offset() > from && r.offset() < to).count();
        return others == to - from - 1;
    }
}
