package dev.robustsynth.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.robustsynth.cli.ProgressEvent;
import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.TaskOutcome;
import dev.robustsynth.cli.TaskStatus;
import dev.robustsynth.cli.TaskSubmission;
import dev.robustsynth.service.kafka.CloudEvents;
import dev.robustsynth.service.testing.ServiceTestResource;
import dev.robustsynth.service.testing.TestImages;
import dev.robustsynth.service.testing.TestModels;
import dev.robustsynth.service.testing.TopicRecorder;
import dev.robustsynth.spi.SpiVersion;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests through the running service, from the CLI's client library to the plugins and back. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class ServiceEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static RsynthClient client;
    private static TopicRecorder results;

    @BeforeAll
    static void connect() throws Exception {
        client = new RsynthClient(RsynthClientConfig.of(ServiceTestResource.bootstrap));
        results = new TopicRecorder(ServiceTestResource.bootstrap, "rsynth.results");
    }

    @AfterAll
    static void disconnect() throws Exception {
        client.close();
        results.close();
    }

    @Test
    void echoRequestFlowsToTheResultsWithProgressInBetween() throws Exception {
        byte[] png = TestImages.greyPng(28, 28);
        List<ProgressEvent> progress = new CopyOnWriteArrayList<>();
        TaskOutcome outcome = client.run(TaskSubmission.builder("echo").id("e2e-echo-1").image("image", png)
                .param("steps", 4).seed(11).build(), WAIT, progress::add);

        assertEquals(TaskStatus.SUCCEEDED, outcome.status(), outcome.json().toString());
        assertEquals(4, progress.size(), progress::toString);
        assertEquals(List.of(1, 2, 3, 4), progress.stream().map(ProgressEvent::step).toList());
        assertEquals(1.0, progress.get(3).fraction());
        assertEquals(1, outcome.images().size());
        var image = outcome.images().get(0);
        assertEquals("result", image.role());
        assertEquals(28, image.width());
        assertEquals(1, image.channels());
        assertArrayEquals(TestImages.greySamples(png), TestImages.greySamples(image.bytes()),
                "echo returns its input");
        assertTrue(image.metadata().path("topClass").isTextual(), "the plugin classified with the real model");

        var provenance = outcome.provenance();
        assertEquals("rsynth-test-echo", provenance.path("plugin").asText());
        assertEquals("1.0.0", provenance.path("pluginVersion").asText());
        assertEquals(SpiVersion.CURRENT, provenance.path("spiVersion").asText());
        assertEquals(TestModels.TINY_NAME, provenance.path("model").asText());
        assertEquals(64, provenance.path("modelSha256").asText().length());
        assertEquals(11, provenance.path("seed").asLong());
        assertEquals(4, provenance.path("params").path("steps").asInt());
        assertTrue(provenance.path("params").path("image").has("sha256"), "inline image data is not repeated");
        assertEquals("CPU", provenance.path("runtime").path("executionProvider").asText());
        assertFalse(provenance.path("runtime").path("onnxRuntime").asText().isEmpty());

        ConsumerRecord<byte[], byte[]> record = results.await("e2e-echo-1", WAIT);
        assertEquals(CloudEvents.TYPE_RESULT, TopicRecorder.header(record, CloudEvents.TYPE));
        assertEquals("e2e-echo-1", TopicRecorder.header(record, CloudEvents.SUBJECT));
        assertEquals("1.0", TopicRecorder.header(record, CloudEvents.SPEC_VERSION));
        assertEquals("application/json", TopicRecorder.header(record, CloudEvents.CONTENT_TYPE));
        assertTrue(TopicRecorder.header(record, CloudEvents.SOURCE).startsWith("/rsynth/"));
    }

    /**
     * The outcome committer asks the tasks consumer for its group metadata, which SmallRye runs on the polling
     * thread between two polls; with SmallRye's default poll timeout (1 s) a result on an idle service could wait
     * most of that second before its transaction (a few in every hundred tasks did).
     */
    @Test
    void anIdleServiceSendsEachResultWithoutWaitingForTheNextTasksPoll() throws Exception {
        long slowest = 0;
        for (int i = 0; i < 40; i++) {
            String id = "e2e-idle-" + i;
            TaskOutcome outcome = client.run(TaskSubmission.builder("echo").id(id)
                    .image("image", TestImages.greyPng(28, 28)).param("steps", 1).build(), WAIT, e -> { });
            assertEquals(TaskStatus.SUCCEEDED, outcome.status(), outcome.json().toString());
            Instant finished = Instant.parse(outcome.provenance().path("finishedAt").asText());
            long wait = results.await(id, WAIT).timestamp() - finished.toEpochMilli();
            slowest = Math.max(slowest, wait);
        }
        assertTrue(slowest < 500, "a result was sent " + slowest + " ms after its task finished");
    }

    @Test
    void externalPluginJarBuiltOutsideTheReactorIsServedAndSeesNoHostClass() throws Exception {
        var probes = JsonNodeFactory.instance.arrayNode()
                .add("org.apache.kafka.clients.consumer.KafkaConsumer")
                .add("com.fasterxml.jackson.databind.ObjectMapper")
                .add("tools.jackson.databind.ObjectMapper")
                .add("io.quarkus.runtime.Quarkus")
                .add("dev.robustsynth.engine.Engine")
                .add("dev.robustsynth.spi.Image");
        TaskOutcome outcome = client.run(TaskSubmission.builder(ServiceTestResource.EXT_TYPE).id("e2e-ext-1")
                .image("image", TestImages.greyPng(28, 28)).param("probe", probes).build(), WAIT, p -> { });

        assertEquals(TaskStatus.SUCCEEDED, outcome.status(), outcome.json().toString());
        var metadata = outcome.metadata();
        assertEquals("hej", metadata.path("greeting").asText(), "rsynth.task.ext-echo.greeting reached init");
        assertFalse(metadata.path("sees:org.apache.kafka.clients.consumer.KafkaConsumer").asBoolean(true));
        assertFalse(metadata.path("sees:com.fasterxml.jackson.databind.ObjectMapper").asBoolean(true));
        assertFalse(metadata.path("sees:tools.jackson.databind.ObjectMapper").asBoolean(true));
        assertFalse(metadata.path("sees:io.quarkus.runtime.Quarkus").asBoolean(true));
        assertFalse(metadata.path("sees:dev.robustsynth.engine.Engine").asBoolean(true));
        assertTrue(metadata.path("sees:dev.robustsynth.spi.Image").asBoolean(false));
        assertTrue(metadata.path("contextLoaderIsOwn").asBoolean(false));
        assertEquals(ServiceTestResource.EXT_PLUGIN, outcome.provenance().path("plugin").asText());
        assertEquals("9.8.7", outcome.provenance().path("pluginVersion").asText());
    }

    @Test
    void pluginForAnotherSpiMajorIsRefusedAndTheServiceRuns() {
        given().when().get("/q/health").then().statusCode(200)
                .body(containsString("refused." + ServiceTestResource.FUTURE_PLUGIN))
                .body(containsString("it was built for SPI 3.0 but this host implements SPI " + SpiVersion.CURRENT));
        given().when().get("/api/v1/tasks").then().statusCode(200)
                .body("type", hasItems("echo", ServiceTestResource.EXT_TYPE))
                .body(org.hamcrest.Matchers.not(containsString("future-echo")));
    }

    @Test
    void theShippedRobustModelServesRequestsWhenTheRepositoryHasIt() throws Exception {
        assumeTrue(TestModels.shipped(), "models/" + TestModels.SHIPPED_NAME + " is not in this checkout");
        TaskOutcome outcome = client.run(TaskSubmission.builder("echo").id("e2e-shipped-1")
                .model(TestModels.SHIPPED_NAME).image("image", TestImages.greyPng(28, 28)).param("steps", 2).build(),
                WAIT, p -> { });
        assertEquals(TaskStatus.SUCCEEDED, outcome.status(), outcome.json().toString());
        assertEquals(TestModels.SHIPPED_NAME, outcome.provenance().path("model").asText());
        assertTrue(outcome.images().get(0).metadata().path("probability").asDouble() > 0);
    }

    @Test
    void cancelStopsARunningTask() throws Exception {
        String id = "e2e-cancel-1";
        client.submit(TaskSubmission.builder("echo").id(id).image("image", TestImages.greyPng(28, 28))
                .param("steps", 50).param("delayMillis", 200).build());
        List<ProgressEvent> progress = new CopyOnWriteArrayList<>();
        Thread canceller = new Thread(() -> {
            try {
                while (progress.isEmpty()) {
                    Thread.sleep(20);
                }
                client.cancel(id);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        canceller.start();
        TaskOutcome outcome = client.awaitResult(id, WAIT, progress::add);
        canceller.join();
        assertEquals(TaskStatus.CANCELLED, outcome.status(), outcome.json().toString());
        assertEquals("CANCELLED", outcome.error().orElseThrow().code());
        assertTrue(progress.size() < 50);
    }

    @Test
    void healthAndMetricsDescribeTheService() throws Exception {
        client.run(TaskSubmission.builder("echo").id("e2e-metrics-1").image("image", TestImages.greyPng(28, 28))
                .param("steps", 1).build(), WAIT, p -> { });
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", org.hamcrest.Matchers.equalTo("UP"))
                .body("checks.name", hasItems("rsynth-kafka", "rsynth-plugins", "rsynth-models",
                        "rsynth-execution-provider"));
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("rsynth_tasks_total{code=\"none\",outcome=\"succeeded\",type=\"echo\"}"))
                .body(containsString("rsynth_task_queue_wait_seconds_count{type=\"echo\"}"))
                .body(containsString("rsynth_task_duration_seconds_count{outcome=\"succeeded\",type=\"echo\"}"))
                .body(containsString("rsynth_tasks_in_flight{state=\"running\"}"))
                .body(containsString("rsynth_consumer_lag "))
                .body(containsString("rsynth_commit_failures "))
                .body(containsString("rsynth_uncommitted_oldest_age_seconds "))
                .body(containsString("rsynth_engine_ticks_total{model=\"" + TestModels.TINY_NAME + "\"}"))
                .body(containsString("rsynth_engine_image_steps_total{lane=\"bulk\",model=\"" + TestModels.TINY_NAME
                        + "\"}"))
                .body(containsString("rsynth_engine_live_images{lane=\"all\",model=\"" + TestModels.TINY_NAME
                        + "\"}"));
        System.gc(); // Micrometer holds meter state weakly: a collected one reads NaN
        String liveImages = "rsynth_engine_live_images{lane=\"all\",model=\"" + TestModels.TINY_NAME + "\"} ";
        String live = given().when().get("/q/metrics").asString().lines().filter(l -> l.startsWith(liveImages))
                .findFirst().orElseThrow().substring(liveImages.length());
        assertEquals(0.0, Double.parseDouble(live), "the engine meters read the engine: " + live);
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'rsynth-kafka' }.data.msCommitsFrozen", org.hamcrest.Matchers.notNullValue());
        given().when().get("/api/v1/models").then().statusCode(200).body("name", hasItems(TestModels.TINY_NAME));
    }
}
