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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A 1,000-item echo job on two service processes sharing a broker; the instance running the job's splitter is
 * killed with {@code kill -9} mid-way. Every item ends with exactly one committed outcome and was published once
 * (read_committed), the job ends SUCCEEDED (read with {@code GET /jobs/{id}} on the survivor, which answers 404
 * JOB_UNKNOWN for a job it does not know), and the manifest lists every item once, in index order, naming image files
 * that hold the item's result image.
 */
class BulkJobFaultTest {
    private static final Duration START = Duration.ofSeconds(90);
    private static final Duration RUN_BOUND = Duration.ofSeconds(150);
    private static final int ITEMS = 1000;
    private static final String JOB = "bulk-fault";
    private static final String PNG = Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28));

    @TempDir
    Path temp;

    private Map<String, String> settings(String bootstrap, String instance) {
        Map<String, String> s = ServiceProcess.settings(temp, bootstrap, instance);
        s.put("rsynth.kafka.partitions", "4");
        s.put("rsynth.worker-threads", "2");
        s.put("rsynth.jobs.bulk-concurrency", "8");
        s.put("rsynth.jobs.status-interval", "PT1S");
        s.put("rsynth.jobs.output-root", temp.resolve("jobs").toString());
        s.put("rsynth.jobs.state-dir", temp.resolve("streams").toString());
        return s;
    }

    private static String job() {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < ITEMS; i++) {
            items.append(i == 0 ? "" : ", ").append("{\"steps\": ").append(1 + i % 3).append('}');
        }
        return "{\"id\": \"" + JOB + "\", \"type\": \"echo\", \"window\": 64, \"params\": {\"image\": {\"data\": \""
                + PNG + "\"}, \"classify\": false}, \"items\": {\"list\": [" + items + "]}}";
    }

    private static HttpResponse<String> get(HttpClient http, ServiceProcess service, String id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + service.httpPort() + "/jobs/" + id))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int answered(TopicRecorder results) {
        int n = 0;
        for (int i = 0; i < ITEMS; i++) {
            n += results.records(JOB + "/" + i).isEmpty() ? 0 : 1;
        }
        return n;
    }

    /** The bytes of a result image: inline or a file: URI under the services' results directory. */
    private static byte[] imageBytes(JsonNode image) throws Exception {
        return image.hasNonNull("data") ? Base64.getDecoder().decode(image.get("data").asString())
                : Files.readAllBytes(Path.of(URI.create(image.get("uri").asString())));
    }

    @Test
    void aThousandItemJobSurvivesKillNineOfTheInstanceRunningItWithOneOutcomePerItemAndAFullManifest()
            throws Exception {
        long testStart = System.nanoTime();
        List<ServiceProcess> services = new ArrayList<>();
        try (TestBroker broker = TestBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            services.add(ServiceProcess.start(temp.resolve("a.log"), settings(bootstrap, "bj-a"), START));
            services.add(ServiceProcess.start(temp.resolve("b.log"), settings(bootstrap, "bj-b"), START));
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                    new ByteArraySerializer());
                 TopicRecorder results = new TopicRecorder(bootstrap, "rsynth.results");
                 TopicRecorder tasks = new TopicRecorder(bootstrap, "rsynth.tasks");
                 TopicRecorder status = new TopicRecorder(bootstrap, "rsynth.jobs.status")) {
                long submitted = System.nanoTime();
                producer.send(new ProducerRecord<>("rsynth.jobs", JOB.getBytes(StandardCharsets.UTF_8),
                        job().getBytes(StandardCharsets.UTF_8))).get();
                long until = submitted + RUN_BOUND.toNanos();
                while (answered(results) < ITEMS * 3 / 10 && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                int atKill = answered(results);
                List<ConsumerRecord<byte[], byte[]>> statuses = status.records(JOB);
                assertTrue(!statuses.isEmpty(), "the job has a status");
                String splitter = TopicRecorder.header(statuses.get(statuses.size() - 1), "ce_source");
                ServiceProcess victim = splitter.equals("/rsynth/bj-a") ? services.get(0) : services.get(1);
                ServiceProcess survivor = victim == services.get(0) ? services.get(1) : services.get(0);
                long killAt = System.nanoTime();
                victim.kill();

                HttpClient http = HttpClient.newHttpClient();
                JsonNode last = null;
                while (System.nanoTime() < until) {
                    HttpResponse<String> r = get(http, survivor, JOB);
                    if (r.statusCode() == 200) {
                        last = Json.parse(r.body().getBytes(StandardCharsets.UTF_8));
                        if (last.path("state").asString().equals("SUCCEEDED")) {
                            break;
                        }
                    }
                    Thread.sleep(200);
                }
                long doneAt = System.nanoTime();
                assertTrue(last != null && last.path("state").asString().equals("SUCCEEDED"),
                        "the job ends SUCCEEDED on the survivor: " + last + "\nsurvivor log:\n" + survivor.tail());
                assertEquals(ITEMS, last.get("total").intValue());
                assertEquals(ITEMS, last.get("succeeded").intValue());
                assertEquals(0, last.get("remaining").intValue());
                HttpResponse<String> unknown = get(http, survivor, "no-such-job");
                assertEquals(404, unknown.statusCode());
                assertTrue(unknown.body().contains("JOB_UNKNOWN"), unknown.body());

                Thread.sleep(2_000); // a late duplicate would be committed by now
                Path dir = temp.resolve("jobs").resolve(JOB);
                List<String> manifest = Files.readAllLines(dir.resolve("manifest.jsonl"), StandardCharsets.UTF_8);
                assertEquals(ITEMS, manifest.size(), "one manifest line per item");
                for (int i = 0; i < ITEMS; i++) {
                    String id = JOB + "/" + i;
                    assertEquals(1, tasks.records(id).size(), "item " + i + " published once");
                    List<ConsumerRecord<byte[], byte[]>> outcomes = results.records(id);
                    assertEquals(1, outcomes.size(), "one committed outcome for " + id);
                    JsonNode result = Json.parse(outcomes.get(0).value());
                    assertEquals("SUCCEEDED", result.path("status").asString(), result.toString());
                    JsonNode line = Json.parse(manifest.get(i).getBytes(StandardCharsets.UTF_8));
                    assertEquals(i, line.get("index").intValue());
                    assertEquals(id, line.get("id").asString());
                    assertEquals("SUCCEEDED", line.get("status").asString());
                    assertEquals(List.of(i + "-0.png"), line.get("files").valueStream().map(JsonNode::asString)
                            .toList());
                    assertEquals(28, line.get("images").get(0).get("width").intValue());
                    assertArrayEquals(imageBytes(result.get("images").get(0)),
                            Files.readAllBytes(dir.resolve(i + "-0.png")), "the file of item " + i);
                }
                assertTrue(tasks.records(JOB + "/" + ITEMS).isEmpty(), "no item beyond the job's");
                System.out.printf("BULK-JOB-FAULT: %d items on 2 instances, kill -9 of %s (the splitter) after %d "
                                + "outcomes at %d ms; SUCCEEDED %d ms after the kill, %d ms after submission; whole "
                                + "test %d s%n", ITEMS, splitter, atKill, (killAt - submitted) / 1_000_000,
                        (doneAt - killAt) / 1_000_000, (doneAt - submitted) / 1_000_000,
                        (System.nanoTime() - testStart) / 1_000_000_000);
            }
        } finally {
            for (ServiceProcess s : services) {
                s.kill();
            }
        }
    }
}
