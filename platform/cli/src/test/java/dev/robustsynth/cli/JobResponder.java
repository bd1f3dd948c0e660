package dev.robustsynth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the service's bulk-job side of the contract (docs/MESSAGES.md "Bulk jobs", service/jobs/JobTopology) over a
 * real broker: it reads {@code rsynth.jobs}, refuses a bad job with a FAILED status and a dead letter (JOB_MALFORMED,
 * JOB_NO_ITEMS, JOB_UNKNOWN_TYPE for anything but echo, JOB_ID_IN_USE with the dead letter only), splits a good one
 * into tasks {@code <job>/<index>} on {@code rsynth.tasks} under the job's window (default 4), which the
 * {@link ContractResponder} answers, counts their results from {@code rsynth.results}, publishes job-status.v1 on every
 * change, and handles {@code cancel-job} (cancels for the items in flight, the unpublished ones counted cancelled).
 * Everything it receives and sends is checked against the schemas; {@link #violations()} lists what did not validate.
 */
public final class JobResponder implements AutoCloseable {
    private static final int DEFAULT_WINDOW = 4;

    private final RsynthTopics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread thread;
    private final Map<String, Job> jobs = new HashMap<>();
    private final List<ContractResponder.Received> received = new CopyOnWriteArrayList<>();
    private final List<String> deadLetters = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final ContractSchemas schemas = ContractSchemas.find().orElseThrow(() ->
            new IllegalStateException("schemas/ not found: the job responder checks every record against them"));
    private volatile boolean closing;

    /** One accepted job's state. */
    private static final class Job {
        final String id;
        final JsonNode request;
        final List<ObjectNode> items;
        final int window;
        final Instant startedAt = Instant.now();
        final Set<Integer> done = new HashSet<>();
        String state = "RUNNING";
        int published;
        int succeeded;
        int failed;
        int cancelled;
        boolean cancelRequested;

        Job(String id, JsonNode request, List<ObjectNode> items) {
            this.id = id;
            this.request = request;
            this.items = items;
            this.window = request.path("window").asInt(DEFAULT_WINDOW);
        }
    }

    public JobResponder(String bootstrap, RsynthTopics topics) {
        this.topics = topics;
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(c);
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : List.of(topics.jobs(), topics.control(), topics.results())) {
            consumer.partitionsFor(t).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(p);
        thread = Thread.ofPlatform().daemon().name("job-responder").start(this::run);
    }

    /** The job records received, in order. */
    public List<ContractResponder.Received> received() {
        return List.copyOf(received);
    }

    /** {@code <job id> <code>} of every dead letter sent. */
    public List<String> deadLetters() {
        return List.copyOf(deadLetters);
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    private void run() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
                    try {
                        if (r.topic().equals(topics.jobs())) {
                            Map<String, String> headers = new java.util.LinkedHashMap<>();
                            r.headers().forEach(h -> headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8)));
                            received.add(new ContractResponder.Received(r.topic(), r.key(), headers, value));
                            submit(r.key(), value);
                        } else if (r.topic().equals(topics.control())) {
                            JsonNode c = WireFormat.mapper().readTree(value);
                            if ("cancel-job".equals(c.path("action").asText())) {
                                cancel(c.path("id").asText());
                            }
                        } else if (r.key() != null && r.key().lastIndexOf('/') > 0) {
                            outcome(r.key(), WireFormat.mapper().readTree(value));
                        }
                    } catch (Exception e) {
                        violations.add("job responder crashed on " + r.topic() + "/" + r.key() + ": " + e);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void submit(String key, String value) throws Exception {
        List<String> invalid = schemas.violations("job.v1.schema.json", value);
        invalid.forEach(v -> violations.add("job.v1.schema.json: " + v + " in " + value));
        Job existing = jobs.get(key);
        if (existing != null && !existing.state.equals("FAILED")) {
            deadLetter(key, value, "JOB_ID_IN_USE");
            return;
        }
        if (!invalid.isEmpty()) {
            refuse(key, value, "JOB_MALFORMED", "the job does not follow job.v1: " + invalid.get(0));
            return;
        }
        JsonNode job = WireFormat.mapper().readTree(value);
        if (!job.path("type").asText().equals("echo")) {
            refuse(key, value, "JOB_UNKNOWN_TYPE", "unknown task type '" + job.path("type").asText() + "'; known: echo");
            return;
        }
        List<ObjectNode> items = items(job.path("items"));
        if (items.isEmpty()) {
            refuse(key, value, "JOB_NO_ITEMS", "the job has no items");
            return;
        }
        Job accepted = new Job(key, job, items);
        jobs.put(key, accepted);
        accepted.state = "ACCEPTED";
        status(accepted);
        accepted.state = "RUNNING";
        fill(accepted);
        status(accepted);
    }

    private static List<ObjectNode> items(JsonNode items) throws IOException {
        List<ObjectNode> list = new ArrayList<>();
        if (items.has("list")) {
            items.get("list").forEach(i -> list.add((ObjectNode) i));
        } else if (items.has("generator")) {
            JsonNode classes = items.at("/generator/classes");
            for (int i = 0; i < classes.size() * items.at("/generator/count").asInt(); i++) {
                list.add(JsonNodeFactory.instance.objectNode().set("class", classes.get(i % classes.size())));
            }
        } else if (items.has("folder")) {
            Path dir = Path.of(URI.create(items.at("/folder/uri").asText()));
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".png") || f.toString().endsWith(".jpg"))
                        .sorted().toList()) {
                    ObjectNode item = JsonNodeFactory.instance.objectNode();
                    item.putObject(items.at("/folder/param").asText()).put("uri", f.toUri().toString());
                    list.add(item);
                }
            }
        }
        return list;
    }

    private void fill(Job job) throws Exception {
        ObjectNode shared = job.request.path("params").isObject() ? (ObjectNode) job.request.get("params")
                : JsonNodeFactory.instance.objectNode();
        while (job.published < job.items.size() && job.published - job.done.size() < job.window) {
            int i = job.published++;
            ObjectNode params = shared.deepCopy();
            params.setAll(job.items.get(i));
            ObjectNode task = JsonNodeFactory.instance.objectNode();
            task.put("id", job.id + "/" + i).set("type", job.request.get("type"));
            if (job.request.has("model")) {
                task.set("model", job.request.get("model"));
            }
            task.set("params", params);
            task.put("seed", job.request.path("seed").asLong(1000) + i);
            task.put("priority", job.request.path("priority").asInt(-10));
            task.put("job", job.id);
            send(topics.tasks(), job.id + "/" + i, WireContract.TYPE_REQUEST, "request.v1.schema.json", task);
        }
    }

    private void outcome(String item, JsonNode result) throws Exception {
        Job job = jobs.get(item.substring(0, item.lastIndexOf('/')));
        if (job == null || terminal(job.state)) {
            return;
        }
        int index = Integer.parseInt(item.substring(item.lastIndexOf('/') + 1));
        if (index >= job.published || !job.done.add(index)) {
            return;
        }
        switch (result.path("status").asText()) {
            case "SUCCEEDED" -> job.succeeded++;
            case "CANCELLED" -> job.cancelled++;
            default -> job.failed++;
        }
        if (!job.cancelRequested) {
            fill(job);
        }
        finishIfDone(job);
        status(job);
    }

    private void cancel(String id) throws Exception {
        Job job = jobs.get(id);
        if (job == null || terminal(job.state)) {
            return;
        }
        job.cancelRequested = true;
        job.state = "CANCELLING";
        for (int i = 0; i < job.published; i++) {
            if (!job.done.contains(i)) {
                ObjectNode c = JsonNodeFactory.instance.objectNode().put("action", "cancel").put("id", id + "/" + i);
                send(topics.control(), id + "/" + i, WireContract.TYPE_CONTROL, "control.v1.schema.json", c);
            }
        }
        finishIfDone(job);
        status(job);
    }

    private static void finishIfDone(Job job) {
        if (job.done.size() < job.published || (!job.cancelRequested && job.published < job.items.size())) {
            return;
        }
        if (job.cancelRequested) {
            job.cancelled += job.items.size() - job.published;
            job.state = "CANCELLED";
        } else {
            job.state = job.failed + job.cancelled == 0 ? "SUCCEEDED" : "COMPLETED";
        }
    }

    private void status(Job job) throws Exception {
        int done = job.succeeded + job.failed + job.cancelled;
        double seconds = Math.max(1e-3, Duration.between(job.startedAt, Instant.now()).toMillis() / 1000.0);
        double rate = done / seconds;
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("id", job.id).put("state", job.state).set("type", job.request.get("type"));
        s.put("model", job.request.path("model").asText("fashion-robust-l2"));
        s.put("total", job.items.size()).put("published", job.published).put("succeeded", job.succeeded)
                .put("failed", job.failed).put("cancelled", job.cancelled)
                .put("remaining", job.items.size() - done).put("ratePerSecond", Math.round(rate * 10) / 10.0);
        if (rate > 0) {
            s.put("etaSeconds", Math.round((job.items.size() - done) / rate));
        } else {
            s.putNull("etaSeconds");
        }
        s.put("startedAt", job.startedAt.toString()).put("updatedAt", Instant.now().toString())
                .put("output", "file:/srv/results/jobs/" + job.id + "/")
                .put("manifest", "file:/srv/results/jobs/" + job.id + "/manifest.jsonl");
        send(topics.jobStatus(), job.id, WireContract.TYPE_JOB_STATUS, "job-status.v1.schema.json", s);
    }

    private void refuse(String id, String value, String code, String message) throws Exception {
        Job failed = new Job(id, JsonNodeFactory.instance.objectNode(), List.of());
        failed.state = "FAILED";
        jobs.put(id, failed);
        ObjectNode s = JsonNodeFactory.instance.objectNode();
        s.put("id", id).put("state", "FAILED").put("total", 0).put("published", 0).put("succeeded", 0)
                .put("failed", 0).put("cancelled", 0).put("remaining", 0).put("updatedAt", Instant.now().toString());
        s.putObject("error").put("code", code).put("message", message);
        send(topics.jobStatus(), id, WireContract.TYPE_JOB_STATUS, "job-status.v1.schema.json", s);
        deadLetter(id, value, code);
    }

    private void deadLetter(String id, String value, String code) throws Exception {
        RecordHeaders h = new RecordHeaders();
        h.add("rsynth.error.code", code.getBytes(StandardCharsets.UTF_8));
        h.add("rsynth.error.stage", "validate".getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(WireContract.DLQ_TOPIC, null, id, value.getBytes(StandardCharsets.UTF_8), h))
                .get();
        deadLetters.add(id + " " + code);
    }

    private void send(String topic, String key, String ceType, String schema, ObjectNode value) throws Exception {
        String json = value.toString();
        schemas.violations(schema, json).forEach(v -> violations.add(schema + ": " + v + " in " + json));
        RecordHeaders h = new RecordHeaders();
        h.add(WireContract.HEADER_SPEC_VERSION, WireContract.SPEC_VERSION.getBytes(StandardCharsets.UTF_8));
        h.add(WireContract.HEADER_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        h.add(WireContract.HEADER_SOURCE, "/rsynth/job-responder".getBytes(StandardCharsets.UTF_8));
        h.add(WireContract.HEADER_TYPE, ceType.getBytes(StandardCharsets.UTF_8));
        h.add(WireContract.HEADER_SUBJECT, key.getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topic, null, key, json.getBytes(StandardCharsets.UTF_8), h)).get();
    }

    private static boolean terminal(String state) {
        return Set.of("SUCCEEDED", "COMPLETED", "CANCELLED", "FAILED").contains(state);
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(2));
    }
}
