package dev.robustsynth.service;

import static dev.robustsynth.service.testing.TopicRecorder.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.service.kafka.CloudEvents;
import dev.robustsynth.service.kafka.DeadLetterHeaders;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.service.testing.ServiceTestResource;
import dev.robustsynth.service.testing.TestImages;
import dev.robustsynth.service.testing.TopicRecorder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every kind of bad record gets a FAILED result with its own code and a dead letter that keeps the original
 * record, and the consumer goes on to the next good record.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class BadRecordsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long TIMESTAMP = 1_790_000_000_000L;
    private static KafkaProducer<byte[], byte[]> producer;
    private static TopicRecorder results;
    private static TopicRecorder dlq;
    private static TopicRecorder progress;

    @BeforeAll
    static void connect() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ServiceTestResource.bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "2097152");
        producer = new KafkaProducer<>(p);
        results = new TopicRecorder(ServiceTestResource.bootstrap, "rsynth.results");
        dlq = new TopicRecorder(ServiceTestResource.bootstrap, "rsynth.tasks.dlq");
        progress = new TopicRecorder(ServiceTestResource.bootstrap, "rsynth.progress");
    }

    @AfterAll
    static void disconnect() throws Exception {
        producer.close();
        results.close();
        dlq.close();
        progress.close();
    }

    private static String png(int width, int height) {
        return Base64.getEncoder().encodeToString(TestImages.greyPng(width, height));
    }

    private static String echo(String id, String extraParams) {
        return "{\"id\": \"" + id + "\", \"type\": \"echo\", \"params\": {\"image\": {\"data\": \"" + png(28, 28)
                + "\"}" + extraParams + "}}";
    }

    private static void send(String key, byte[] value) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        headers.add("x-origin", "bad-records-test".getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>("rsynth.tasks", null, TIMESTAMP, key.getBytes(StandardCharsets.UTF_8),
                value, headers)).get();
    }

    private static JsonNode failed(String key, String code) throws Exception {
        ConsumerRecord<byte[], byte[]> record = results.await(key,
                r -> Json.parse(r.value()).path("error").path("code").asString("").equals(code), WAIT);
        JsonNode json = Json.parse(record.value());
        assertEquals("FAILED", json.path("status").asString(), json.toString());
        assertEquals(key, json.path("id").asString());
        assertTrue(json.path("error").path("message").asString().length() > 10, json.toString());
        assertEquals(CloudEvents.TYPE_RESULT, header(record, CloudEvents.TYPE));
        return json;
    }

    private static void deadLettered(String key, byte[] value, String code, String stage) throws Exception {
        ConsumerRecord<byte[], byte[]> letter = dlq.await(key, r -> code.equals(header(r, DeadLetterHeaders.CODE)),
                WAIT);
        assertArrayEquals(value, letter.value(), "the dead letter keeps the original value");
        assertEquals(TIMESTAMP, letter.timestamp(), "and the original timestamp");
        assertEquals("bad-records-test", header(letter, "x-origin"), "and the original headers");
        assertEquals(stage, header(letter, DeadLetterHeaders.STAGE));
        assertEquals("rsynth.tasks", header(letter, DeadLetterHeaders.SOURCE_TOPIC));
        assertNotNull(header(letter, DeadLetterHeaders.SOURCE_PARTITION));
        assertTrue(Long.parseLong(header(letter, DeadLetterHeaders.SOURCE_OFFSET)) >= 0);
        assertTrue(header(letter, DeadLetterHeaders.MESSAGE).length() > 10);
    }

    @Test
    void eachBadRecordFailsWithItsOwnCodeGoesToTheDeadLetterTopicAndTheNextGoodOneRuns() throws Exception {
        Map<String, String[]> cases = new LinkedHashMap<>(); // key -> {value, code, stage}
        cases.put("bad-not-json", new String[] {"hello {", "NOT_JSON", "parse"});
        cases.put("bad-array", new String[] {"[1, 2, 3]", "NOT_AN_OBJECT", "parse"});
        cases.put("bad-missing-type", new String[] {"{\"id\": \"bad-missing-type\", \"params\": {}}",
                "MISSING_FIELD", "validate"});
        cases.put("bad-unknown-type", new String[] {"{\"id\": \"bad-unknown-type\", \"type\": \"inpaitn\", "
                + "\"params\": {}}", "UNKNOWN_TYPE", "route"});
        cases.put("bad-schema", new String[] {echo("bad-schema", ", \"steps\": 100000"), "SCHEMA_VIOLATION",
                "validate"});
        cases.put("bad-model", new String[] {"{\"id\": \"bad-model\", \"type\": \"echo\", \"model\": \"no-such-model\","
                + " \"params\": {\"image\": {\"data\": \"" + png(28, 28) + "\"}}}", "UNKNOWN_MODEL", "validate"});
        cases.put("bad-too-large", new String[] {echo("bad-too-large", ", \"padding\": \""
                + "x".repeat(ServiceTestResource.MAX_MESSAGE_BYTES) + "\""), "MESSAGE_TOO_LARGE", "parse"});
        cases.put("bad-undecodable", new String[] {"{\"id\": \"bad-undecodable\", \"type\": \"echo\", \"params\": "
                + "{\"image\": {\"data\": \"" + Base64.getEncoder().encodeToString("not a png".getBytes())
                + "\"}}}", "UNDECODABLE_IMAGE", "validate"});
        cases.put("bad-shape", new String[] {"{\"id\": \"bad-shape\", \"type\": \"echo\", \"params\": {\"image\": "
                + "{\"data\": \"" + png(32, 32) + "\"}}}", "WRONG_IMAGE_SHAPE", "validate"});
        cases.put("bad-factory-check", new String[] {echo("bad-factory-check", ", \"steps\": 60"),
                "INVALID_PARAMETERS", "validate"});
        cases.put("bad-run", new String[] {echo("bad-run", ", \"failWith\": \"INTERNAL\""), "INTERNAL", "run"});

        // an id already in flight: the first record runs slowly, the second with the same id gets its outcome
        byte[] slow = echo("dup-1", ", \"steps\": 20, \"delayMillis\": 250").getBytes(StandardCharsets.UTF_8);
        send("dup-1", slow);
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            send(c.getKey(), c.getValue()[0].getBytes(StandardCharsets.UTF_8));
        }
        progress.await("dup-1", WAIT); // the first dup-1 is running now
        byte[] duplicate = echo("dup-1", ", \"steps\": 1").getBytes(StandardCharsets.UTF_8);
        send("dup-1", duplicate);
        send("good-after-bad", echo("good-after-bad", ", \"steps\": 1").getBytes(StandardCharsets.UTF_8));

        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            JsonNode result = failed(c.getKey(), c.getValue()[1]);
            assertEquals(c.getValue()[2], result.path("error").path("stage").asString(), result.toString());
            deadLettered(c.getKey(), c.getValue()[0].getBytes(StandardCharsets.UTF_8), c.getValue()[1],
                    c.getValue()[2]);
        }
        JsonNode unknownType = failed("bad-unknown-type", "UNKNOWN_TYPE");
        assertTrue(unknownType.path("error").path("message").asString().contains("unknown task type 'inpaitn'; known:"),
                unknownType.toString());
        assertEquals("inpaitn", unknownType.path("type").asString());

        ConsumerRecord<byte[], byte[]> first = results.await("dup-1",
                r -> Json.parse(r.value()).path("status").asString("").equals("SUCCEEDED"), WAIT);
        assertNotNull(first, "the task in flight completes");
        long until = System.nanoTime() + WAIT.toNanos();
        while (results.records("dup-1").size() < 2 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertEquals(2, results.records("dup-1").size(), "the second record of the id in flight is answered");
        assertArrayEquals(first.value(), results.records("dup-1").get(1).value(), "with the first one's outcome");
        assertEquals(0, dlq.records("dup-1").size(), "a resubmission is not a bad record");

        ConsumerRecord<byte[], byte[]> good = results.await("good-after-bad", WAIT);
        assertEquals("SUCCEEDED", Json.parse(good.value()).path("status").asString(),
                new String(good.value(), StandardCharsets.UTF_8));
        assertEquals(0, dlq.records("good-after-bad").size());
    }
}
