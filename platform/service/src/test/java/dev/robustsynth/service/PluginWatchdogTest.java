package dev.robustsynth.service;

import static dev.robustsynth.service.testing.TopicRecorder.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.service.kafka.DeadLetterHeaders;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The packaged service as its own JVM, with one worker, a 4 s task timeout, a 1 s stop grace and at most one
 * abandoned plugin thread, fed the test-echo plugin's misbehaviours one after the other. Each fails only its own
 * task, with its own code and a dead letter (a hang on the bulk lane, as an item of a job, too); a normal task runs
 * right after each on the same single worker; every id has exactly one committed outcome, the late result of an
 * abandoned task included; {@code rsynth-workers} counts the abandoned threads, and the second one turns liveness
 * DOWN while the service goes on serving.
 */
class PluginWatchdogTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Duration TASK_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration STOP_GRACE = Duration.ofSeconds(1);
    private static final Duration INTAKE_TIMEOUT = Duration.ofSeconds(3);
    private static final String PNG = "{\"data\": \"" + Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28))
            + "\"}";

    @TempDir
    Path temp;

    private final List<String> ids = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private KafkaProducer<byte[], byte[]> producer;
    private TopicRecorder results;
    private TopicRecorder dlq;
    private ServiceProcess service;

    @Test
    void eachMisbehaviourFailsOnlyItsOwnTaskAndTheSecondAbandonedThreadTurnsLivenessDown() throws Exception {
        try (TestBroker broker = TestBroker.start()) {
            Map<String, String> settings = ServiceProcess.settings(temp, broker.bootstrapServers(), "watchdog");
            settings.put("rsynth.kafka.partitions", "2");
            settings.put("rsynth.worker-threads", "1");
            settings.put("rsynth.task-timeout", TASK_TIMEOUT.toString());
            settings.put("rsynth.task-stop-grace", STOP_GRACE.toString());
            settings.put("rsynth.max-abandoned-workers", "1");
            settings.put("rsynth.intake-timeout", INTAKE_TIMEOUT.toString());
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            service = ServiceProcess.start(temp.resolve("service.log"), settings, WAIT);
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
                 TopicRecorder results = new TopicRecorder(broker.bootstrapServers(), "rsynth.results");
                 TopicRecorder dlq = new TopicRecorder(broker.bootstrapServers(), "rsynth.tasks.dlq")) {
                this.producer = producer;
                this.results = results;
                this.dlq = dlq;
                misbehavioursAndTheTaskAfterEach();
            } finally {
                service.close();
            }
        }
    }

    private void misbehavioursAndTheTaskAfterEach() throws Exception {
        JsonNode error = failed("throw-error", echo("throw-error", ""), "PLUGIN_ERROR", "run");
        assertTrue(error.path("error").path("message").asString().contains("OutOfMemoryError"), error.toString());
        runsNormally("after-throw-error");

        JsonNode overflow = failed("stack-overflow", echo("stack-overflow", ""), "PLUGIN_ERROR", "run");
        assertTrue(overflow.path("error").path("message").asString().contains("StackOverflowError"),
                overflow.toString());
        runsNormally("after-stack-overflow");

        long sent = System.nanoTime();
        JsonNode hang = failed("hang", echo("hang", ""), "PLUGIN_TIMEOUT", "run");
        long hangMillis = (System.nanoTime() - sent) / 1_000_000;
        assertTrue(hang.path("error").path("message").asString().contains("rsynth.task-timeout")
                && hang.path("error").path("message").asString().contains("it was stopped"), hang.toString());
        assertTrue(hangMillis >= TASK_TIMEOUT.toMillis(), "not before the task timeout: " + hangMillis + " ms");
        assertEquals(0, workers(h -> true).path("data").path("abandoned").asInt(), "an interrupt ended the hang");
        runsNormally("after-hang");

        // an item of a bulk job runs on the bulk lane's threads, under the same watchdog
        String inJob = echo("hang", "").replace("\"type\":", "\"job\": \"bulk-hang\", \"type\":");
        JsonNode bulkHang = failed("bulk-hang/0", inJob, "PLUGIN_TIMEOUT", "run");
        assertTrue(bulkHang.path("error").path("message").asString().contains("rsynth.task-timeout"),
                bulkHang.toString());
        assertEquals(0, workers(h -> true).path("data").path("abandoned").asInt(), "an interrupt ended the bulk hang");
        runsNormally("after-bulk-hang");

        ignoredCancelIsAbandonedAndItsLateResultDiscarded();

        JsonNode validate = failed("hang-in-validate", echo("hang-in-validate", ""), "INTAKE_TIMEOUT", "validate");
        JsonNode oneAbandoned = workers(h -> h.path("data").path("abandoned").asInt() == 1);
        assertEquals("UP", oneAbandoned.path("status").asString(), "one abandoned thread is allowed: " + oneAbandoned);
        assertTrue(validate.path("error").path("message").asString().contains("rsynth.intake-timeout"),
                validate.toString());
        runsNormally("after-hang-in-validate");

        JsonNode spin = failed("spin", echo("spin", ", \"misbehaveMillis\": 60000"), "PLUGIN_TIMEOUT", "run");
        assertTrue(spin.path("error").path("message").asString().contains("did not stop within"), spin.toString());
        JsonNode overCap = workers(h -> h.path("data").path("abandoned").asInt() == 2);
        assertEquals("DOWN", overCap.path("status").asString(), overCap.toString());
        assertTrue(overCap.path("data").path("reason").asString().contains("rsynth.max-abandoned-workers"),
                overCap.toString());
        HttpResponse<String> down = http.send(HttpRequest.newBuilder(live()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, down.statusCode(), down.body());
        runsNormally("after-spin");

        for (String id : ids) {
            assertEquals(1, results.records(id).size(), "one committed outcome for " + id);
        }
        assertTrue(service.alive(), "the service runs on");
    }

    /**
     * An ignore-cancel task (deaf for 12 s) is cancelled: it fails with PLUGIN_TIMEOUT after the grace, its thread
     * is abandoned and the single worker runs the next task while it still sleeps; when it ends, its result is
     * discarded.
     */
    private void ignoredCancelIsAbandonedAndItsLateResultDiscarded() throws Exception {
        String id = "ignore-cancel";
        send(id, echo(id, ", \"misbehaveMillis\": 12000"));
        long sent = System.nanoTime();
        workers(h -> h.path("data").path("pluginCalls").asInt() == 1);
        Thread.sleep(500); // past its validate call: the one plugin call now is its run
        ConsumerRecord<byte[], byte[]> outcome = null;
        while (outcome == null) {
            send("control-" + id, "{\"action\": \"cancel\", \"id\": \"" + id + "\"}", "rsynth.control");
            outcome = results.records(id).isEmpty() ? null : results.records(id).get(0);
            if (outcome == null) {
                assertTrue(System.nanoTime() - sent < WAIT.toNanos(), "no outcome for " + id);
                Thread.sleep(300);
            }
        }
        JsonNode failed = Json.parse(outcome.value());
        assertEquals("PLUGIN_TIMEOUT", failed.path("error").path("code").asString(), failed.toString());
        assertTrue(failed.path("error").path("message").asString().contains("was cancelled and did not stop within"),
                failed.toString());
        assertEquals("PLUGIN_TIMEOUT", header(dlq.await(id, WAIT), DeadLetterHeaders.CODE));
        JsonNode abandoned = workers(h -> true);
        assertEquals(1, abandoned.path("data").path("abandoned").asInt(), abandoned.toString());
        assertEquals("UP", abandoned.path("status").asString(), abandoned.toString());
        runsNormally("after-ignore-cancel");
        assertEquals(1, workers(h -> true).path("data").path("abandoned").asInt(),
                "the next task ran on the one worker while the deaf thread still slept");

        JsonNode ended = workers(h -> h.path("data").path("abandoned").asInt() == 0);
        assertEquals(1, ended.path("data").path("abandonedTotal").asInt(), ended.toString());
        assertTrue(service.awaitLog("what it returned is discarded", WAIT), service.tail());
        runsNormally("after-ignore-cancel-ended");
        assertEquals(1, results.records(id).size(), "the late result of " + id + " is not published");
    }

    private JsonNode failed(String id, String request, String code, String stage) throws Exception {
        send(id, request);
        JsonNode result = Json.parse(results.await(id, WAIT).value());
        assertEquals("FAILED", result.path("status").asString(), result.toString());
        assertEquals(code, result.path("error").path("code").asString(), result.toString());
        assertEquals(stage, result.path("error").path("stage").asString(), result.toString());
        assertEquals(code, header(dlq.await(id, WAIT), DeadLetterHeaders.CODE));
        assertTrue(service.alive(), "the service survives " + id);
        return result;
    }

    private void runsNormally(String id) throws Exception {
        send(id, echo(id, ""));
        JsonNode result = Json.parse(results.await(id, WAIT).value());
        assertEquals("SUCCEEDED", result.path("status").asString(), result.toString());
    }

    /** Waits until the rsynth-workers liveness check satisfies {@code test}; returns it. */
    private JsonNode workers(Predicate<JsonNode> test) throws Exception {
        long until = System.nanoTime() + WAIT.toNanos();
        JsonNode check = null;
        while (System.nanoTime() < until) {
            String body = http.send(HttpRequest.newBuilder(live()).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            check = null;
            for (JsonNode c : Json.parse(body.getBytes(StandardCharsets.UTF_8)).path("checks")) {
                if (c.path("name").asString().equals("rsynth-workers")) {
                    check = c;
                }
            }
            if (check == null) {
                throw new AssertionError("no rsynth-workers check in " + body);
            }
            if (test.test(check)) {
                return check;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("rsynth-workers never became as expected; last: " + check);
    }

    /** The service's liveness URI (its HTTP port is in the log once it listens, a little after it consumes). */
    private URI live() throws InterruptedException {
        return URI.create("http://localhost:" + service.httpPort() + "/q/health/live");
    }

    private static String echo(String misbehave, String extra) {
        String mode = misbehave.startsWith("after-") ? "" : ", \"misbehave\": \"" + misbehave + "\"";
        return "{\"params\": {\"image\": " + PNG + ", \"steps\": 1, \"classify\": false" + mode + extra + "}, "
                + "\"type\": \"echo\", \"id\": \"%s\"}";
    }

    private void send(String id, String request) throws Exception {
        ids.add(id);
        send(id, request.formatted(id), "rsynth.tasks");
    }

    private void send(String key, String value, String topic) throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8))).get();
    }
}
