package dev.robustsynth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.cli.ContractResponder;
import dev.robustsynth.cli.ContractSchemas;
import dev.robustsynth.cli.JobResponder;
import dev.robustsynth.cli.JobState;
import dev.robustsynth.cli.JobStatus;
import dev.robustsynth.cli.RsynthTopics;
import dev.robustsynth.cli.TestBroker;
import dev.robustsynth.cli.TestImages;
import dev.robustsynth.cli.WireFormat;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rsynth job …} end to end over a real broker: {@link JobResponder} plays the service's job side (split,
 * count, status, refusals, cancel-job) and {@link ContractResponder} answers the item tasks, both checking every
 * record against schemas/ (job.v1, job-status.v1, control.v1, request.v1 with {@code job}).
 */
@Timeout(120)
class JobCommandTest {
    @TempDir
    Path dir;

    private String bootstrap;
    private JobResponder jobs;
    private ContractResponder tasks;

    @BeforeEach
    void setUp() {
        bootstrap = TestBroker.bootstrap();
        tasks = TestBroker.responder();
        jobs = TestBroker.jobResponder();
    }

    @AfterEach
    void schemasHold() {
        assertEquals(List.of(), jobs.violations(), "job traffic that does not validate against schemas/");
        assertEquals(List.of(), tasks.violations(), "task traffic that does not validate against schemas/");
    }

    private static String newId(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    /** count distinct 28×28 grey PNGs in/img-<i>.png; pixel (0,0) = 10·i tells them apart. */
    private Path folderOf(int count) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        for (int i = 0; i < count; i++) {
            BufferedImage img = TestImages.grey(28, 28);
            img.getRaster().setSample(0, 0, 0, 10 * i);
            Files.write(in.resolve("img-" + i + ".png"), TestImages.encode(img, "png"));
        }
        return in;
    }

    private CliRun job(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "job";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "-b";
        all[args.length + 2] = bootstrap;
        return CliRun.of(all);
    }

    private static List<JsonNode> manifest(Path out) throws Exception {
        return Files.readAllLines(out.resolve("manifest.jsonl")).stream().map(l -> {
            try {
                return WireFormat.mapper().readTree(l);
            } catch (Exception e) {
                throw new IllegalStateException(l, e);
            }
        }).toList();
    }

    @Test
    void folderJobIsSubmittedWatchedToSucceededThenStatusAndFetchGiveItsManifestAndImages() throws Exception {
        String id = newId("cli-job-ok-");
        Path in = folderOf(5);
        CliRun submitted = job("submit", "-t", "echo", "-m", "fashion-robust-l2", "--folder", in.toString(),
                "--image-param", "image", "-p", "steps=2", "--window", "2", "--seed", "7", "--id", id, "--watch",
                "--progress", "lines");

        assertEquals(ExitCodes.SUCCEEDED, submitted.exit(), submitted::toString);
        String[] out = submitted.out().strip().split("\n");
        assertEquals(id, out[0], "the job id first");
        assertTrue(out[out.length - 1].startsWith("SUCCEEDED " + id + " echo model=fashion-robust-l2: 5/5 items, "
                + "5 succeeded, 0 failed, 0 cancelled; manifest file:"), submitted::toString);
        assertTrue(submitted.err().contains("submitted job " + id), submitted::toString);
        assertTrue(submitted.err().contains(id + " [##############################] 100% 5/5 SUCCEEDED"),
                submitted::toString);
        assertTrue(submitted.err().contains("/s ETA 0:00"), "rate and ETA on the bar: " + submitted);

        ContractResponder.Received record = jobs.received().stream().filter(r -> id.equals(r.key())).findFirst()
                .orElseThrow();
        assertEquals("dev.robustsynth.job.v1", record.headers().get("ce_type"));
        JsonNode sent = record.json();
        assertEquals(in.toUri().toString(), sent.at("/items/folder/uri").asText());
        assertEquals("image", sent.at("/items/folder/param").asText());
        assertEquals(2, sent.get("window").asInt());
        assertEquals(7, sent.get("seed").asInt());
        assertEquals(2, sent.at("/params/steps").asInt());
        assertEquals(id + "/3", tasks.requests().get(id + "/3").key(), "the items ran as tasks <job>/<index>");

        CliRun status = job("status", id);
        assertEquals(ExitCodes.SUCCEEDED, status.exit(), status::toString);
        assertTrue(status.out().startsWith("SUCCEEDED " + id + " echo model=fashion-robust-l2: 5/5 items"), status::toString);
        CliRun json = job("status", id, "--json");
        JsonStatus parsed = JsonStatus.of(json.out());
        assertEquals("SUCCEEDED", parsed.state());
        assertEquals(5, parsed.total());

        CliRun watched = job("watch", id, "--progress", "none");
        assertEquals(ExitCodes.SUCCEEDED, watched.exit(), "a finished job: its end at once: " + watched);

        Path fetched = dir.resolve("fetched");
        CliRun fetch = job("fetch", id, "--out", fetched.toString());
        assertEquals(ExitCodes.SUCCEEDED, fetch.exit(), fetch::toString);
        assertTrue(fetch.out().startsWith("fetched job " + id + " (SUCCEEDED): 5/5 items, 5 images -> "), fetch::toString);
        List<JsonNode> lines = manifest(fetched);
        assertEquals(5, lines.size());
        for (int i = 0; i < 5; i++) {
            JsonNode line = lines.get(i);
            assertEquals(i, line.get("index").asInt(), line::toString);
            assertEquals(id + "/" + i, line.get("id").asText());
            assertEquals("SUCCEEDED", line.get("status").asText());
            assertEquals(List.of(i + "-0.png"), List.of(line.at("/files/0").asText()));
            assertEquals(1, line.get("files").size());
            assertEquals(i + "-0.png", line.at("/images/0/file").asText());
            assertEquals("result", line.at("/images/0/role").asText());
            assertEquals(28, line.at("/images/0/width").asInt());
            assertEquals("sneaker", line.at("/images/0/metadata/topClass").asText());
            assertEquals("rsynth-test-echo", line.at("/provenance/plugin").asText());
            assertEquals(7 + i, line.at("/provenance/seed").asInt(), "item i runs with seed + i");
            assertTrue(line.get("error").isNull());
            BufferedImage image = ImageIO.read(fetched.resolve(i + "-0.png").toFile());
            assertEquals(10 * i, image.getRaster().getSample(0, 0, 0), "item " + i + " is image " + i + " echoed");
        }

        int received = jobs.received().size();
        CliRun again = job("submit", "-t", "echo", "--folder", in.toString(), "--id", id);
        assertEquals(ExitCodes.FAILED, again.exit(), again::toString);
        assertTrue(again.err().contains("JOB_ID_IN_USE") && again.err().contains("state SUCCEEDED"), again::toString);
        assertEquals(received, jobs.received().size(), "nothing was published");
    }

    /** The fields of a status JSON the test looks at. */
    private record JsonStatus(String state, int total) {
        static JsonStatus of(String json) throws Exception {
            JsonNode node = WireFormat.mapper().readTree(json);
            return new JsonStatus(node.get("state").asText(), node.get("total").asInt());
        }
    }

    @Test
    void jobWithAFailedItemEndsCompletedWithExitSixAndTheManifestKeepsTheError() throws Exception {
        String id = newId("cli-job-mixed-");
        String png = Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28));
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        file.put("id", id).put("type", "echo").putObject("params").put("steps", 1);
        var list = file.putObject("items").putArray("list");
        for (int i = 0; i < 3; i++) {
            ObjectNode item = list.addObject();
            item.putObject("image").put("data", png);
            if (i == 1) {
                item.put("failWith", "INTERNAL");
            }
        }
        Path jobFile = dir.resolve("job.json");
        Files.writeString(jobFile, file.toString());

        CliRun run = job("submit", "--file", jobFile.toString(), "--watch", "--progress", "lines");
        assertEquals(ExitCodes.COMPLETED_WITH_FAILURES, run.exit(), run::toString);
        assertTrue(run.out().contains("COMPLETED " + id + " echo model=fashion-robust-l2: 3/3 items, 2 succeeded, "
                + "1 failed, 0 cancelled"), run::toString);
        assertTrue(run.err().contains("3/3 COMPLETED 1 failed"), run::toString);

        Path out = dir.resolve("out");
        CliRun fetch = job("fetch", id, "-o", out.toString());
        assertEquals(ExitCodes.SUCCEEDED, fetch.exit(), "every item has an outcome: " + fetch);
        List<JsonNode> lines = manifest(out);
        assertEquals(List.of("SUCCEEDED", "FAILED", "SUCCEEDED"), lines.stream().map(l -> l.get("status").asText()).toList());
        assertEquals("INTERNAL", lines.get(1).at("/error/code").asText());
        assertEquals(0, lines.get(1).get("files").size());
        assertTrue(Files.isRegularFile(out.resolve("2-0.png")));
        assertFalse(Files.exists(out.resolve("1-0.png")));
    }

    @Test
    void refusedJobsEndFailedWithTheirCodeShownAndExitOne() throws Exception {
        String unknownType = newId("cli-job-type-");
        CliRun run = job("submit", "-t", "nope", "--classes", "bag,coat", "--count", "2", "--id", unknownType, "--watch");
        assertEquals(ExitCodes.FAILED, run.exit(), run::toString);
        assertTrue(run.out().contains("FAILED " + unknownType + ": JOB_UNKNOWN_TYPE"), run::toString);
        assertTrue(run.err().contains("FAILED (refused, nothing was started): JOB_UNKNOWN_TYPE: unknown task type 'nope'"),
                run::toString);

        String empty = newId("cli-job-empty-");
        Path file = dir.resolve("empty.json");
        Files.writeString(file, "{\"id\": \"" + empty + "\", \"type\": \"echo\", \"items\": {\"list\": []}}");
        CliRun none = job("submit", "--file", file.toString(), "--watch");
        assertEquals(ExitCodes.FAILED, none.exit(), none::toString);
        assertTrue(none.err().contains("JOB_NO_ITEMS: the job has no items"), none::toString);
        assertEquals(List.of(unknownType + " JOB_UNKNOWN_TYPE", empty + " JOB_NO_ITEMS"), jobs.deadLetters().stream()
                .filter(d -> d.startsWith(unknownType) || d.startsWith(empty)).toList(), "each on the DLQ");

        CliRun status = job("status", empty);
        assertEquals(ExitCodes.SUCCEEDED, status.exit(), status::toString);
        assertEquals("FAILED " + empty + ": JOB_NO_ITEMS", status.out().strip());
        CliRun watch = job("watch", empty);
        assertEquals(ExitCodes.FAILED, watch.exit(), watch::toString);
        CliRun fetch = job("fetch", empty, "--out", dir.resolve("x").toString());
        assertEquals(ExitCodes.FAILED, fetch.exit(), fetch::toString);

        Path in = folderOf(1);
        CliRun reused = job("submit", "-t", "echo", "--folder", in.toString(), "--id", empty, "--watch",
                "--progress", "none");
        assertEquals(ExitCodes.SUCCEEDED, reused.exit(), "a refused job's id may be used again: " + reused);
    }

    @Test
    void cancelEndsARunningJobCancelledWithExitThreeAndEveryItemCancelledInTheManifest() throws Exception {
        String id = newId("cli-job-cancel-");
        Path in = folderOf(6);
        CliRun submitted = job("submit", "-t", "echo", "--folder", in.toString(), "-p", "steps=100",
                "-p", "delayMillis=100", "--window", "2", "--id", id);
        assertEquals(ExitCodes.SUCCEEDED, submitted.exit(), submitted::toString);
        assertEquals(id, submitted.out().strip());
        long until = System.nanoTime() + 30_000_000_000L;
        while (!job("status", id).out().contains("2 published") && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        CliRun running = job("status", id);
        assertTrue(running.out().startsWith("RUNNING " + id + " echo model=fashion-robust-l2: 0/6 items")
                && running.out().contains("2 published"), running::toString);

        CliRun cancel = job("cancel", id, "--watch", "--progress", "none");
        assertEquals(ExitCodes.CANCELLED, cancel.exit(), cancel::toString);
        assertTrue(cancel.out().startsWith("CANCELLED " + id + " echo model=fashion-robust-l2: 6/6 items, 0 succeeded, "
                + "0 failed, 6 cancelled"), cancel::toString);
        ContractResponder.Received control = tasks.controls().stream().filter(c -> id.equals(c.key())).findFirst()
                .orElseThrow();
        assertEquals("{\"action\":\"cancel-job\",\"id\":\"" + id + "\"}", control.value());
        assertEquals("dev.robustsynth.control.v1", control.headers().get("ce_type"));

        Path out = dir.resolve("out");
        CliRun fetch = job("fetch", id, "--out", out.toString());
        assertEquals(ExitCodes.SUCCEEDED, fetch.exit(), fetch::toString);
        List<JsonNode> lines = manifest(out);
        assertEquals(6, lines.size());
        assertTrue(lines.stream().allMatch(l -> l.get("status").asText().equals("CANCELLED")), lines::toString);
        assertTrue(lines.get(0).at("/error/message").asText().contains("cancelled by a control message"), lines::toString);
        assertEquals("the job was cancelled before this item was published", lines.get(5).at("/error/message").asText());

        CliRun plain = job("cancel", id);
        assertEquals(ExitCodes.SUCCEEDED, plain.exit(), plain::toString);
        assertEquals("cancel-job sent for " + id, plain.out().strip());
    }

    @Test
    void anUnknownJobHasNoStatusExitSeven() {
        String id = newId("cli-job-unknown-");
        CliRun status = job("status", id);
        assertEquals(ExitCodes.NO_STATUS, status.exit(), status::toString);
        assertTrue(status.err().contains("no status for job " + id + " on rsynth.jobs.status"), status::toString);
        CliRun watch = job("watch", id, "--start-timeout", "1s");
        assertEquals(ExitCodes.NO_STATUS, watch.exit(), watch::toString);
        CliRun fetch = job("fetch", id, "--out", dir.toString());
        assertEquals(ExitCodes.NO_STATUS, fetch.exit(), fetch::toString);
    }

    @Test
    void fetchNeedsOnlyKafkaKeepsEachItemsFirstOutcomeAndListsTheMissingOnes() throws Exception {
        String id = newId("cli-job-ghost-");
        String png = Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28));
        RsynthTopics t = RsynthTopics.defaults();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(t.jobStatus(), id, "{\"id\":\"" + id + "\",\"state\":\"RUNNING\","
                    + "\"type\":\"echo\",\"total\":5,\"published\":5,\"succeeded\":2,\"failed\":0,\"cancelled\":0,"
                    + "\"remaining\":3,\"updatedAt\":\"2026-12-04T14:00:00Z\"}")).get();
            for (String item : List.of(id + "/0", id + "/2", id + "/0", id + "/02", id + "/7", id + "x/1")) {
                producer.send(new ProducerRecord<>(t.results(), item, "{\"id\":\"" + item + "\",\"status\":\"SUCCEEDED"
                        + "\",\"images\":[{\"role\":\"result\",\"index\":0,\"mediaType\":\"image/png\",\"width\":28,"
                        + "\"height\":28,\"channels\":1,\"data\":\"" + png + "\"}]}")).get();
            }
            producer.send(new ProducerRecord<>(t.results(), id + "/2", "{\"id\":\"" + id + "/2\",\"status\":\"FAILED\","
                    + "\"error\":{\"code\":\"INTERNAL\",\"message\":\"a second outcome\",\"stage\":\"run\"}}")).get();
        }
        Path out = dir.resolve("ghost");
        CliRun fetch = job("fetch", id, "--out", out.toString());
        assertEquals(ExitCodes.INCOMPLETE, fetch.exit(), fetch::toString);
        assertTrue(fetch.err().contains("3 of 5 items of job " + id + " have no result on rsynth.results (the job is "
                + "RUNNING): 1, 3-4"), fetch::toString);
        List<JsonNode> lines = manifest(out);
        assertEquals(List.of(0, 2), lines.stream().map(l -> l.get("index").asInt()).toList());
        assertEquals("SUCCEEDED", lines.get(1).get("status").asText(), "the first outcome of an id counts");
        assertEquals(List.of("0-0.png", "2-0.png"), Files.list(out).map(f -> f.getFileName().toString())
                .filter(n -> n.endsWith(".png")).sorted().toList());
    }

    @Test
    void jobFilesAndFlagsBecomeJobV1DocumentsAndBadOnesAreUsageErrors() throws Exception {
        ContractSchemas schemas = ContractSchemas.find().orElseThrow();
        CliRun flags = CliRun.of("job", "submit", "-t", "generate", "-m", "fashion-robust-l2", "--classes", "sneaker,bag",
                "--count", "5", "-p", "steps=10", "--seed", "7", "--window", "16", "--priority", "-5", "--id", "shoes",
                "--dry-run");
        assertEquals(ExitCodes.SUCCEEDED, flags.exit(), flags::toString);
        JsonNode json = WireFormat.mapper().readTree(flags.out());
        assertEquals(WireFormat.mapper().readTree("{\"id\":\"shoes\",\"type\":\"generate\",\"model\":\"fashion-robust-l2\","
                + "\"params\":{\"steps\":10},\"seed\":7,\"priority\":-5,\"window\":16,"
                + "\"items\":{\"generator\":{\"classes\":[\"sneaker\",\"bag\"],\"count\":5}}}"), json);
        assertEquals(List.of(), schemas.violations("job.v1.schema.json", json.toString()));

        for (String example : List.of("job.generator.json", "job.list.json", "job.folder.json")) {
            Path f = schemas.file("examples/" + example);
            CliRun run = CliRun.of("job", "submit", "--file", f.toString(), "--dry-run");
            assertEquals(ExitCodes.SUCCEEDED, run.exit(), run::toString);
            assertEquals(WireFormat.mapper().readTree(f.toFile()), WireFormat.mapper().readTree(run.out()), example);
        }
        Path manifest = dir.resolve("list.jsonl");
        Files.writeString(manifest, "{\"uri\": \"file:/x.png\"}\n");
        CliRun overridden = CliRun.of("job", "submit", "--file", schemas.file("examples/job.list.json").toString(),
                "--id", "other", "-p", "steps=3", "--dry-run");
        JsonNode o = WireFormat.mapper().readTree(overridden.out());
        assertEquals("other", o.get("id").asText());
        assertEquals(3, o.at("/params/steps").asInt());
        CliRun byManifest = CliRun.of("job", "submit", "-t", "superres", "--manifest", manifest.toString(), "--dry-run");
        JsonNode m = WireFormat.mapper().readTree(byManifest.out());
        assertEquals(manifest.toUri().toString(), m.at("/items/manifest/uri").asText(), byManifest::toString);
        assertTrue(m.get("id").asText().startsWith("job-"));
        assertEquals(List.of(), schemas.violations("job.v1.schema.json", m.toString()));

        Path unknownField = dir.resolve("bad.json");
        Files.writeString(unknownField, "{\"id\": \"x\", \"type\": \"generate\", \"itmes\": {}, \"items\": {\"list\": [{}]}}");
        for (String[] bad : List.of(
                new String[] {"--file", schemas.file("examples/invalid/job.interactive-priority.json").toString()},
                new String[] {"--file", schemas.file("examples/invalid/job.two-item-sources.json").toString()},
                new String[] {"--file", unknownField.toString()},
                new String[] {"-t", "generate", "--classes", "bag"},
                new String[] {"-t", "generate", "--classes", "bag", "--count", "1", "--folder", "/tmp"},
                new String[] {"-t", "generate"},
                new String[] {"--classes", "bag", "--count", "1"},
                new String[] {"-t", "generate", "--classes", "bag", "--count", "1", "--id", "a/b"},
                new String[] {"-t", "generate", "--folder", "http://host/dir"})) {
            String[] args = new String[bad.length + 3];
            args[0] = "job";
            args[1] = "submit";
            System.arraycopy(bad, 0, args, 2, bad.length);
            args[args.length - 1] = "--dry-run";
            CliRun run = CliRun.of(args);
            assertEquals(ExitCodes.USAGE, run.exit(), String.join(" ", bad) + ": " + run);
        }
        assertTrue(CliRun.of("job", "submit", "--file", unknownField.toString(), "--dry-run").err().contains("itmes"));
    }

    @Test
    void theContractsStatusExamplesDecode() throws Exception {
        ContractSchemas schemas = ContractSchemas.find().orElseThrow();
        JobStatus running = WireFormat.decodeJobStatus(Files.readAllBytes(schemas.file("examples/job-status.running.json")));
        assertEquals(JobState.RUNNING, running.state());
        assertEquals(10000, running.total());
        assertEquals(602, running.done());
        assertEquals(31.5, running.ratePerSecond().orElseThrow(), 1e-9);
        assertEquals(298, running.etaSeconds().orElseThrow());
        assertFalse(running.state().terminal());
        JobStatus failed = WireFormat.decodeJobStatus(Files.readAllBytes(schemas.file("examples/job-status.failed.json")));
        assertEquals(JobState.FAILED, failed.state());
        assertTrue(failed.state().terminal());
        assertEquals("JOB_NO_ITEMS", failed.error().orElseThrow().code());
        assertEquals("1, 3-5, 9", JobFetchCommand.ranges(List.of(1L, 3L, 4L, 5L, 9L)));

        // the schema checks of the responders are not vacuous: the bulk-job schemas are there and refuse bad records
        assertFalse(schemas.violations("job.v1.schema.json",
                Files.readString(schemas.file("examples/invalid/job.two-item-sources.json"))).isEmpty());
        assertFalse(schemas.violations("job-status.v1.schema.json", "{\"id\":\"x\",\"state\":\"DONE\"}").isEmpty());
        assertEquals(List.of(), schemas.violations("control.v1.schema.json",
                new String(WireFormat.encodeCancelJob("fashion-10k"), java.nio.charset.StandardCharsets.UTF_8)));
        assertFalse(schemas.violations("request.v1.schema.json",
                "{\"id\":\"j/0\",\"type\":\"echo\",\"params\":{},\"job\":\"\"}").isEmpty());
    }
}
