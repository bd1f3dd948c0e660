package dev.robustsynth.service.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.service.intake.SchemaCatalog;
import dev.robustsynth.service.kafka.DeadLetterHeaders;
import dev.robustsynth.service.message.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The jobs topology on TopologyTestDriver: splitting under the window, counts, refusals, cancel-job, periodic status.
 * (The driver wipes its state on close, so resuming after a restart is JobServiceRestartTest's, on a real broker.)
 */
class JobTopologyTest {
    private static final String PNG = Base64.getEncoder().encodeToString(new byte[] {(byte) 0x89, 'P', 'N', 'G'});

    @TempDir
    Path temp;

    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> jobs;
    private TestInputTopic<String, byte[]> results;
    private TestInputTopic<String, byte[]> control;
    private TestOutputTopic<String, byte[]> tasks;
    private TestOutputTopic<String, byte[]> status;
    private TestOutputTopic<String, byte[]> dlq;
    private TestOutputTopic<String, byte[]> cancels;

    private JobTopology.Settings settings() {
        return new JobTopology.Settings("rsynth.jobs", "rsynth.jobs.status", "rsynth.tasks", "rsynth.results",
                "rsynth.control", "rsynth.tasks.dlq", 3, Duration.ofSeconds(2), temp.resolve("out"), "/rsynth/test");
    }

    private static JobValidator validator(Path root) throws Exception {
        SchemaCatalog schemas = new SchemaCatalog();
        try (InputStream in = JobTopologyTest.class.getResourceAsStream("/schemas/tasks/generate.v1.schema.json")) {
            schemas.registerTask("generate", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        JobValidator.Catalog catalog = new JobValidator.Catalog() {
            public Optional<com.networknt.schema.Schema> taskSchema(String type) {
                return type.equals("generate") ? schemas.task(type) : Optional.empty();
            }

            public Set<String> types() {
                return Set.of("generate");
            }

            public Optional<String> model(Optional<String> named) {
                return named.or(() -> Optional.of("fashion-robust-l2")).filter(m -> m.equals("fashion-robust-l2"));
            }

            public Set<String> models() {
                return Set.of("fashion-robust-l2");
            }
        };
        return new JobValidator(schemas, catalog, List.of(root), 100);
    }

    private void start() throws Exception {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, "jobs-test");
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        p.put(StreamsConfig.STATE_DIR_CONFIG, temp.resolve("state").toString());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        Files.createDirectories(temp.resolve("in"));
        driver = new TopologyTestDriver(JobTopology.build(settings(), validator(temp.resolve("in")), Instant::now), p);
        jobs = driver.createInputTopic("rsynth.jobs", new StringSerializer(), new ByteArraySerializer());
        results = driver.createInputTopic("rsynth.results", new StringSerializer(), new ByteArraySerializer());
        control = driver.createInputTopic("rsynth.control", new StringSerializer(), new ByteArraySerializer());
        tasks = driver.createOutputTopic("rsynth.tasks", new StringDeserializer(), new ByteArrayDeserializer());
        status = driver.createOutputTopic("rsynth.jobs.status", new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic("rsynth.tasks.dlq", new StringDeserializer(), new ByteArrayDeserializer());
        cancels = driver.createOutputTopic("rsynth.control", new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    private void submit(String id, String json) {
        jobs.pipeInput(id, json.getBytes(StandardCharsets.UTF_8));
    }

    private void answer(String item, String state) {
        String images = state.equals("SUCCEEDED") ? "[{\"role\": \"result\", \"index\": 0, \"mediaType\": \"image/png\","
                + " \"width\": 28, \"height\": 28, \"channels\": 1, \"data\": \"" + PNG + "\", \"metadata\": {\"l2Moved\": 1.5}}]"
                : "[]";
        String error = state.equals("SUCCEEDED") ? "" : ", \"error\": {\"code\": \"" + state + "\", \"message\": \"x\"}";
        results.pipeInput(item, ("{\"id\": \"" + item + "\", \"type\": \"generate\", \"status\": \"" + state
                + "\", \"images\": " + images + ", \"provenance\": {\"seed\": 1}" + error + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private List<String> taskIds() {
        return tasks.readRecordsToList().stream().map(TestRecord::key).toList();
    }

    private JsonNode lastStatus() {
        List<TestRecord<String, byte[]>> all = status.readRecordsToList();
        assertTrue(!all.isEmpty(), "no status");
        return valid(Json.parse(all.get(all.size() - 1).value()));
    }

    private static JsonNode valid(JsonNode status) {
        SchemaCatalog schemas = new SchemaCatalog();
        assertEquals(List.of(), SchemaCatalog.problems(schemas.message("job-status.v1.schema.json"), status, ""),
                "job-status.v1: " + status);
        return status;
    }

    @Test
    void splitsUnderTheWindowCountsOutcomesOnceAndWritesTheManifestInIndexOrder() throws Exception {
        start();
        submit("j1", "{\"id\": \"j1\", \"type\": \"generate\", \"params\": {\"steps\": 10}, \"seed\": 7,"
                + " \"items\": {\"generator\": {\"classes\": [\"sneaker\", \"bag\"], \"count\": 3}}}");
        List<TestRecord<String, byte[]>> first = tasks.readRecordsToList();
        assertEquals(List.of("j1/0", "j1/1", "j1/2"), first.stream().map(TestRecord::key).toList());
        JsonNode item1 = Json.parse(first.get(1).value());
        assertEquals("bag", item1.get("params").get("class").asString());
        assertEquals(10, item1.get("params").get("steps").intValue());
        assertEquals(8, item1.get("seed").longValue());
        assertEquals("j1", item1.get("job").asString());
        assertEquals(-10, item1.get("priority").intValue());
        assertEquals("RUNNING", lastStatus().get("state").asString());

        answer("j1/1", "SUCCEEDED");
        assertEquals(List.of("j1/3"), taskIds());
        answer("j1/1", "SUCCEEDED"); // the first outcome republished: not counted again, nothing published
        assertEquals(List.of(), taskIds());
        answer("j1/0", "FAILED");
        answer("j1/2", "SUCCEEDED");
        assertEquals(List.of("j1/4", "j1/5"), taskIds());
        answer("j1/5", "SUCCEEDED");
        answer("j1/3", "SUCCEEDED");
        answer("j1/4", "SUCCEEDED");
        JsonNode done = lastStatus();
        assertEquals("COMPLETED", done.get("state").asString());
        assertEquals(6, done.get("total").intValue());
        assertEquals(5, done.get("succeeded").intValue());
        assertEquals(1, done.get("failed").intValue());
        assertEquals(0, done.get("remaining").intValue());
        Path dir = temp.resolve("out").resolve("j1");
        List<String> lines = Files.readAllLines(dir.resolve("manifest.jsonl"));
        assertEquals(6, lines.size());
        for (int i = 0; i < 6; i++) {
            JsonNode line = Json.parse(lines.get(i).getBytes(StandardCharsets.UTF_8));
            assertEquals(i, line.get("index").intValue());
            assertEquals("j1/" + i, line.get("id").asString());
        }
        JsonNode third = Json.parse(lines.get(3).getBytes(StandardCharsets.UTF_8));
        assertEquals("3-0.png", third.get("files").get(0).asString());
        assertEquals(28, third.get("images").get(0).get("width").intValue());
        assertEquals(4, Files.size(dir.resolve("3-0.png")));
        assertEquals("FAILED", Json.parse(lines.get(0).getBytes(StandardCharsets.UTF_8)).get("status").asString());
    }

    @Test
    void everyRefusalGivesAFailedStatusWithItsCodeAndADeadLetterAndStartsNothing() throws Exception {
        start();
        Files.createDirectories(temp.resolve("elsewhere"));
        String gen = "\"items\": {\"generator\": {\"classes\": [\"bag\"], \"count\": 2}}";
        List<List<String>> cases = List.of(
                List.of("m", "not json", "JOB_MALFORMED"),
                List.of("n", "{\"id\": \"n\", \"type\": \"generate\", \"items\": {\"list\": []}}", "JOB_NO_ITEMS"),
                List.of("t", "{\"id\": \"t\", \"type\": \"generate\", \"items\": {\"generator\": {\"classes\": [\"bag\"],"
                        + " \"count\": 101}}}", "JOB_TOO_MANY_ITEMS"),
                List.of("i", "{\"id\": \"i\", \"type\": \"generate\", \"items\": {\"list\": [{\"class\": \"bag\"},"
                        + " {\"colour\": \"red\"}]}}", "JOB_INVALID_ITEM"),
                List.of("f", "{\"id\": \"f\", \"type\": \"generate\", \"items\": {\"folder\": {\"uri\": \""
                        + temp.resolve("elsewhere").toUri() + "\", \"param\": \"image\"}}}", "JOB_FILE_OUTSIDE_ROOTS"),
                List.of("u", "{\"id\": \"u\", \"type\": \"genrate\", " + gen + "}", "JOB_UNKNOWN_TYPE"),
                List.of("o", "{\"id\": \"o\", \"type\": \"generate\", \"model\": \"nope\", " + gen + "}",
                        "JOB_UNKNOWN_MODEL"));
        long offset = 0;
        for (List<String> c : cases) {
            submit(c.get(0), c.get(1));
            List<TestRecord<String, byte[]>> statuses = status.readRecordsToList();
            assertEquals(1, statuses.size(), c.toString());
            assertEquals(c.get(0), statuses.get(0).key());
            JsonNode st = valid(Json.parse(statuses.get(0).value()));
            assertEquals("FAILED", st.get("state").asString(), c.toString());
            assertEquals(c.get(2), st.get("error").get("code").asString(), st.toString());
            assertEquals(offset++, st.get("submission").get("offset").longValue(), "names the refused record");
            TestRecord<String, byte[]> dead = dlq.readRecord();
            assertEquals(c.get(1), new String(dead.value(), StandardCharsets.UTF_8));
            assertEquals(c.get(2), new String(dead.headers().lastHeader(DeadLetterHeaders.CODE).value(),
                    StandardCharsets.UTF_8));
            assertTrue(tasks.isEmpty(), c.toString());
            assertFalse(Files.exists(temp.resolve("out").resolve(c.get(0))), "no output directory for " + c);
        }
        jobs.pipeInput((String) null, "not json either".getBytes(StandardCharsets.UTF_8));
        offset++;
        assertEquals("JOB_MALFORMED", new String(dlq.readRecord().headers().lastHeader(DeadLetterHeaders.CODE)
                .value(), StandardCharsets.UTF_8));
        assertTrue(status.isEmpty(), "a job without a key or a readable id has no status to be filed under");

        submit("n", "{\"id\": \"n\", \"type\": \"generate\", " + gen + "}");
        offset++;
        assertEquals(List.of("n/0", "n/1"), taskIds(), "a refused job's id may be used again");
        assertEquals("RUNNING", lastStatus().get("state").asString());

        submit("r", "{\"id\": \"r\", \"type\": \"generate\", " + gen + "}");
        long running = offset++;
        assertEquals(List.of("r/0", "r/1"), taskIds());
        assertEquals(running, lastStatus().get("submission").get("offset").longValue(), "the accepted submission");
        submit("r", "{\"id\": \"r\", \"type\": \"generate\", \"params\": {\"steps\": 3}, " + gen + "}");
        long refused = offset++;
        assertEquals("JOB_ID_IN_USE", new String(dlq.readRecord().headers().lastHeader(DeadLetterHeaders.CODE).value(),
                StandardCharsets.UTF_8));
        List<TestRecord<String, byte[]>> statuses = status.readRecordsToList();
        assertEquals(List.of("r/refused/0-" + refused), statuses.stream().map(TestRecord::key).toList(),
                "the running job's status is not overwritten; the refusal has a key of its own");
        JsonNode st = valid(Json.parse(statuses.get(0).value()));
        assertEquals("r", st.get("id").asString());
        assertEquals("FAILED", st.get("state").asString());
        assertEquals("JOB_ID_IN_USE", st.get("error").get("code").asString());
        assertEquals(refused, st.get("submission").get("offset").longValue());
        assertTrue(tasks.isEmpty());
    }

    @Test
    void cancelJobStopsPublishingCancelsOutstandingItemsAndEndsCancelled() throws Exception {
        start();
        submit("j3", "{\"id\": \"j3\", \"type\": \"generate\", \"items\": {\"generator\": {\"classes\": [\"bag\"],"
                + " \"count\": 10}}}");
        assertEquals(3, taskIds().size());
        answer("j3/0", "SUCCEEDED");
        assertEquals(List.of("j3/3"), taskIds());
        control.pipeInput("j3", "{\"action\": \"cancel-job\", \"id\": \"j3\"}".getBytes(StandardCharsets.UTF_8));
        List<String> cancelled = cancels.readRecordsToList().stream()
                .map(r -> Json.parse(r.value())).filter(c -> c.get("action").asString().equals("cancel"))
                .map(c -> c.get("id").asString()).toList();
        assertEquals(List.of("j3/1", "j3/2", "j3/3"), cancelled);
        assertEquals("CANCELLING", lastStatus().get("state").asString());
        answer("j3/1", "CANCELLED");
        answer("j3/2", "SUCCEEDED"); // finished before the cancel reached it
        answer("j3/3", "CANCELLED");
        assertTrue(tasks.isEmpty(), "nothing published after the cancel");
        JsonNode st = lastStatus();
        assertEquals("CANCELLED", st.get("state").asString());
        assertEquals(2, st.get("succeeded").intValue());
        assertEquals(8, st.get("cancelled").intValue());
        assertEquals(0, st.get("remaining").intValue());
        assertEquals(10, Files.readAllLines(temp.resolve("out/j3/manifest.jsonl")).size());
    }

    @Test
    void listedItemsAreStoredOneEntryEachOutsideTheJobStateAndDroppedWhenItEnds() throws Exception {
        start();
        submit("l", "{\"id\": \"l\", \"type\": \"generate\", \"params\": {\"steps\": 4}, \"items\": {\"list\": "
                + "[{\"class\": \"bag\"}, {\"class\": \"shirt\", \"steps\": 2}, {\"class\": \"sneaker\"}, {}]}}");
        List<TestRecord<String, byte[]>> first = tasks.readRecordsToList();
        assertEquals(List.of("l/0", "l/1", "l/2"), first.stream().map(TestRecord::key).toList());
        JsonNode shirt = Json.parse(first.get(1).value()).get("params");
        assertEquals("shirt", shirt.get("class").asString());
        assertEquals(2, shirt.get("steps").intValue(), "the item's own parameter wins");
        var state = driver.<String, byte[]>getKeyValueStore(JobTopology.JOBS);
        String record = new String(state.get("l"), StandardCharsets.UTF_8);
        assertFalse(record.contains("sneaker"), "the state record holds no item list: " + record);
        var items = driver.<String, byte[]>getKeyValueStore(JobTopology.ITEMS);
        assertEquals("{}", new String(items.get("l#3"), StandardCharsets.UTF_8));
        for (int i = 0; i < 3; i++) {
            answer("l/" + i, "SUCCEEDED");
        }
        assertEquals(List.of("l/3"), taskIds());
        answer("l/3", "SUCCEEDED");
        assertEquals("SUCCEEDED", lastStatus().get("state").asString());
        for (int i = 0; i < 4; i++) {
            assertEquals(null, items.get("l#" + i), "item " + i + "'s parameters are dropped at the end");
        }
        assertEquals(4, Files.readAllLines(temp.resolve("out/l/manifest.jsonl")).size());
    }

    @Test
    void runningJobsGetAStatusEveryInterval() throws Exception {
        start();
        submit("j4", "{\"id\": \"j4\", \"type\": \"generate\", \"items\": {\"generator\": {\"classes\": [\"bag\"],"
                + " \"count\": 4}}}");
        status.readRecordsToList();
        driver.advanceWallClockTime(Duration.ofSeconds(3));
        JsonNode st = lastStatus();
        assertEquals("RUNNING", st.get("state").asString());
        assertEquals(4, st.get("remaining").intValue());
    }
}
