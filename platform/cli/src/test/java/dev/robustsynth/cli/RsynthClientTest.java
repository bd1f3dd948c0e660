package dev.robustsynth.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RsynthClient against a real in-JVM broker and the {@link ContractResponder} playing the service. */
@Timeout(60)
class RsynthClientTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private ContractResponder responder;
    private RsynthClient client;

    @BeforeEach
    void open() throws Exception {
        responder = TestBroker.responder();
        client = new RsynthClient(RsynthClientConfig.of(TestBroker.bootstrap()));
    }

    @AfterEach
    void close() {
        client.close();
        assertEquals(List.of(), responder.violations(), "traffic that does not validate against schemas/");
    }

    private static String newId(String prefix) {
        return prefix + UUID.randomUUID();
    }

    private static TaskSubmission.Builder echo(String id, byte[] png) {
        return TaskSubmission.builder("echo").id(id).model("fashion-robust-l2").image("image", png);
    }

    @Test
    void publishedRequestFollowsTheWireContract() throws Exception {
        String id = newId("contract-");
        byte[] png = TestImages.greyPng(28, 28);
        Instant deadline = Instant.parse("2030-01-01T00:00:00Z");
        client.run(echo(id, png).param("steps", 2).seed(7).priority(3).deadline(deadline).build(), WAIT, p -> { });

        ContractResponder.Received r = responder.requests().get(id);
        assertNotNull(r, "the responder saw the request");
        assertEquals(id, r.key(), "record key = task id");
        assertEquals("1.0", r.headers().get("ce_specversion"));
        assertEquals("dev.robustsynth.request.v1", r.headers().get("ce_type"));
        assertEquals(id, r.headers().get("ce_subject"));
        assertEquals("application/json", r.headers().get("content-type"));
        assertTrue(r.headers().get("ce_source").startsWith("/rsynth/"), r.headers().get("ce_source"));
        UUID.fromString(r.headers().get("ce_id"));
        Instant.parse(r.headers().get("ce_time"));

        JsonNode json = r.json();
        Set<String> fields = new TreeSet<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(new TreeSet<>(List.of("id", "type", "model", "params", "seed", "priority", "deadline")), fields);
        assertEquals(id, json.get("id").asText());
        assertEquals("echo", json.get("type").asText());
        assertEquals(7, json.get("seed").asLong());
        assertTrue(json.get("seed").isIntegralNumber());
        assertEquals(3, json.get("priority").asInt());
        assertEquals("2030-01-01T00:00:00Z", json.get("deadline").asText());
        assertEquals(2, json.at("/params/steps").asInt());
        assertArrayEquals(png, Base64.getDecoder().decode(json.at("/params/image/data").asText()));
        assertEquals(1, json.at("/params/image").size(), "an image is {\"data\": …} only");
    }

    @Test
    void requestValidatesAgainstTheSchemasWhenPresent() throws Exception {
        ContractSchemas schemas = ContractSchemas.find().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(schemas != null, "schemas/ not in this checkout");
        TaskSubmission minimal = TaskSubmission.builder("generate").param("class", "sneaker").build();
        TaskSubmission full = echo("job-42", TestImages.greyPng(28, 28)).param("steps", 3).seed(-5).priority(0)
                .deadline(Instant.now()).build();
        for (TaskSubmission t : List.of(minimal, full)) {
            String json = new String(WireFormat.encodeRequest(t), StandardCharsets.UTF_8);
            assertEquals(List.of(), schemas.violations("request.v1.schema.json", json), json);
        }
        assertEquals(List.of(), schemas.violations("control.v1.schema.json",
                new String(WireFormat.encodeCancel("job-42"), StandardCharsets.UTF_8)));
    }

    @Test
    void progressArrivesInOrderThenTheDecodedImage() throws Exception {
        String id = newId("progress-");
        byte[] png = TestImages.greyPng(28, 28);
        List<ProgressEvent> progress = new ArrayList<>();
        TaskOutcome outcome = client.run(echo(id, png).param("steps", 5).build(), WAIT, progress::add);

        assertEquals(TaskStatus.SUCCEEDED, outcome.status());
        assertTrue(outcome.succeeded());
        assertEquals(id, outcome.id());
        assertEquals(5, progress.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(i + 1, progress.get(i).step());
            assertEquals(5, progress.get(i).totalSteps());
            assertEquals((i + 1) / 5.0, progress.get(i).fraction(), 1e-9);
            assertEquals(1.0 / (i + 1), progress.get(i).metrics().get("loss"), 1e-9);
            assertTrue(progress.get(i).at().isPresent());
        }
        assertEquals(1, outcome.images().size());
        OutcomeImage image = outcome.images().get(0);
        assertEquals("result", image.role());
        assertEquals(28, image.width());
        assertEquals(1, image.channels());
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.bytes()));
        assertEquals(28, decoded.getWidth());
        assertEquals(28, decoded.getHeight());
        assertEquals("sneaker", image.metadata().path("topClass").asText());
        assertEquals("rsynth-test-echo", outcome.provenance().path("plugin").asText());
        assertEquals(5, outcome.metadata().path("steps").asInt());
        assertTrue(outcome.error().isEmpty());
    }

    @Test
    void resultPublishedBeforeAwaitIsNotMissed() throws Exception {
        String id = newId("fast-");
        client.submit(echo(id, TestImages.greyPng(28, 28)).param("steps", 1).build());
        // the responder answers within milliseconds; give it ample time to finish before we look
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (responder.requests().get(id) == null && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        Thread.sleep(1_000);
        TaskOutcome outcome = client.awaitResult(id, WAIT, p -> { });
        assertEquals(TaskStatus.SUCCEEDED, outcome.status());
    }

    @Test
    void imageByFileUriIsRead() throws Exception {
        String id = newId("by-uri-");
        byte[] png = TestImages.greyPng(28, 28);
        TaskOutcome outcome = client.run(echo(id, png).build(), WAIT, p -> { });
        OutcomeImage image = outcome.images().get(0);
        assertTrue(image.uri().isPresent());
        assertTrue(image.hasBytes(), () -> image.unavailableReason().orElse(""));
        assertEquals(28, ImageIO.read(new ByteArrayInputStream(image.bytes())).getWidth());
    }

    @Test
    void failedResultCarriesCodeMessageAndStage() throws Exception {
        String id = newId("unknown-type-");
        TaskOutcome outcome = client.run(TaskSubmission.builder("inpaitn").id(id).build(), WAIT, p -> { });
        assertEquals(TaskStatus.FAILED, outcome.status());
        TaskError error = outcome.error().orElseThrow();
        assertEquals("UNKNOWN_TYPE", error.code());
        assertEquals("route", error.stage());
        assertTrue(error.message().contains("inpaitn"), error.message());
        assertTrue(outcome.images().isEmpty());

        String failing = newId("fail-with-");
        TaskOutcome run = client.run(echo(failing, TestImages.greyPng(28, 28)).param("failWith", "INTERNAL").build(),
                WAIT, p -> { });
        assertEquals("INTERNAL", run.error().orElseThrow().code());
        assertEquals("run", run.error().orElseThrow().stage());
    }

    @Test
    void cancelIsPublishedOnTheControlTopicAndTheTaskEndsCancelled() throws Exception {
        String id = newId("cancel-");
        client.submit(echo(id, TestImages.greyPng(28, 28)).param("steps", 1000).param("delayMillis", 50).build());
        List<ProgressEvent> progress = new CopyOnWriteArrayList<>();
        // wait until it runs, then cancel
        assertThrows(TaskTimeoutException.class, () -> client.awaitResult(id, Duration.ofMillis(800), progress::add));
        assertFalse(progress.isEmpty(), "the task was running");
        client.cancel(id);
        TaskOutcome outcome = client.awaitResult(id, WAIT, progress::add);
        assertEquals(TaskStatus.CANCELLED, outcome.status());
        assertEquals("CANCELLED", outcome.error().orElseThrow().code());

        ContractResponder.Received control = responder.controls().stream().filter(c -> id.equals(c.key()))
                .findFirst().orElseThrow();
        assertEquals("dev.robustsynth.control.v1", control.headers().get("ce_type"));
        assertEquals("cancel", control.json().get("action").asText());
        assertEquals(id, control.json().get("id").asText());
        assertEquals(2, control.json().size());
    }

    @Test
    void noResultWithinTheTimeoutThrowsTaskTimeoutException() throws Exception {
        String id = newId("slow-");
        client.submit(echo(id, TestImages.greyPng(28, 28)).param("steps", 100).param("delayMillis", 100).build());
        long t0 = System.nanoTime();
        TaskTimeoutException e = assertThrows(TaskTimeoutException.class,
                () -> client.awaitResult(id, Duration.ofMillis(700), p -> { }));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(millis >= 650 && millis < 5_000, "took " + millis + " ms");
        assertEquals(id, e.taskId());
        client.cancel(id);
    }

    @Test
    void aSecondClientListeningFromEarlierPicksUpAFinishedResult() throws Exception {
        String id = newId("later-");
        Instant before = Instant.now().minusSeconds(5);
        client.run(echo(id, TestImages.greyPng(28, 28)).build(), WAIT, p -> { });
        try (RsynthClient later = new RsynthClient(RsynthClientConfig.builder(TestBroker.bootstrap())
                .listenFrom(before).build())) {
            later.watch(id);
            List<ProgressEvent> progress = new ArrayList<>();
            TaskOutcome outcome = later.awaitResult(id, WAIT, progress::add);
            assertEquals(TaskStatus.SUCCEEDED, outcome.status());
            assertEquals(3, progress.size(), "the earlier progress events too");
        }
    }

    @Test
    void manyTasksFromManyThreadsEachGetTheirOwnResult() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<TaskOutcome>> futures = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String id = newId("many-" + i + "-");
                ids.add(id);
                TaskSubmission task = echo(id, TestImages.greyPng(28, 28)).param("steps", 1 + i % 3).build();
                futures.add(pool.submit(() -> client.run(task, WAIT, p -> assertEquals(id, p.id()))));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(ids.get(i), futures.get(i).get().id());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void malformedRecordsOnTheResultTopicAreSkipped() throws Exception {
        String id = newId("malformed-");
        client.watch(id);
        var props = new java.util.Properties();
        props.put("bootstrap.servers", TestBroker.bootstrap());
        try (KafkaProducer<String, String> raw = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            raw.send(new ProducerRecord<>(WireContract.RESULTS_TOPIC, id, "not json")).get();
            raw.send(new ProducerRecord<>(WireContract.PROGRESS_TOPIC, id, "[1,2]")).get();
            raw.send(new ProducerRecord<>(WireContract.RESULTS_TOPIC, id,
                    "{\"id\":\"" + id + "\",\"type\":\"echo\",\"status\":\"FAILED\",\"images\":[],"
                            + "\"error\":{\"code\":\"INTERNAL\",\"message\":\"m\",\"stage\":\"run\"}}")).get();
        }
        TaskOutcome outcome = client.awaitResult(id, WAIT, p -> { });
        assertEquals(TaskStatus.FAILED, outcome.status());
    }

    @Test
    void imagesOfMoreThanOneMegabyteTravelInline() throws Exception {
        BufferedImage noise = new BufferedImage(640, 640, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(1);
        for (int y = 0; y < 640; y++) {
            for (int x = 0; x < 640; x++) {
                noise.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        byte[] png = TestImages.encode(noise, "png");
        assertTrue(png.length > 1_100_000, "PNG of " + png.length + " bytes");
        TaskOutcome outcome = client.run(echo(newId("big-"), png).param("steps", 1).build(), WAIT, p -> { });
        assertEquals(TaskStatus.SUCCEEDED, outcome.status());
        assertEquals(640, ImageIO.read(new ByteArrayInputStream(outcome.images().get(0).bytes())).getWidth());
    }

    @Test
    void unreachableBrokerFailsWithinTheConnectTimeout() {
        long t0 = System.nanoTime();
        RsynthClientException e = assertThrows(RsynthClientException.class, () -> new RsynthClient(
                RsynthClientConfig.builder("localhost:1").connectTimeout(Duration.ofSeconds(2)).build()));
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(millis < 10_000, "took " + millis + " ms");
        assertTrue(e.getMessage().contains("localhost:1"), e.getMessage());
    }

    @Test
    void closedClientRefusesWork() {
        client.close();
        client.close();
        assertThrows(IllegalStateException.class, () -> client.cancel("x"));
    }
}
