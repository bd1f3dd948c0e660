package dev.robustsynth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plays the service's part of the wire contract over a real broker, for the test-echo task
 * ({@code schemas/tasks/echo.v1.schema.json}): it reads {@code rsynth.tasks} and {@code rsynth.control},
 * reports {@code steps} progress events {@code delayMillis} apart, then answers with the input image
 * (or with {@code failWith}), and answers CANCELLED when a cancel arrives first. Any other type gets
 * FAILED/UNKNOWN_TYPE, a value that is not JSON gets FAILED/NOT_JSON. A task whose id starts with
 * {@code by-uri-} gets its result image as a {@code file:} uri instead of inline data. A request's
 * {@code progress} is honoured: events every {@code every} steps (and at the last), each with the echoed image as
 * its one preview when {@code previews} is set and the image is at most 64 px.
 *
 * <p>It keeps every record it received, and checks everything it receives and sends against the
 * repository's schemas when they are present; {@link #violations()} lists what did not validate.
 */
public final class ContractResponder implements AutoCloseable {
    /** A record the responder received. */
    public record Received(String topic, String key, Map<String, String> headers, String value) {
        public JsonNode json() {
            try {
                return WireFormat.mapper().readTree(value);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + value, e);
            }
        }
    }

    private final RsynthTopics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final ExecutorService tasks = Executors.newCachedThreadPool();
    private final Thread thread;
    private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();
    private final Map<String, Received> requests = new ConcurrentHashMap<>();
    private final List<Received> controls = new CopyOnWriteArrayList<>();
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final java.util.Optional<ContractSchemas> schemas = ContractSchemas.find();
    private final Path uriDir;
    private volatile boolean closing;

    public ContractResponder(String bootstrap, RsynthTopics topics) throws IOException {
        this.topics = topics;
        this.uriDir = Files.createTempDirectory("rsynth-responder");
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(c);
        List<TopicPartition> parts = new ArrayList<>();
        for (String t : List.of(topics.tasks(), topics.control())) {
            consumer.partitionsFor(t).forEach(p -> parts.add(new TopicPartition(t, p.partition())));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts);
        parts.forEach(consumer::position);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        producer = new KafkaProducer<>(p);
        thread = Thread.ofPlatform().daemon().name("contract-responder").start(this::run);
    }

    public Map<String, Received> requests() {
        return requests;
    }

    public List<Received> controls() {
        return controls;
    }

    /** Schema violations seen so far, in either direction; empty when the schemas are absent. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** Whether the schemas were found and are being checked. */
    public boolean checksSchemas() {
        return schemas.isPresent();
    }

    private void run() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    Received received = new Received(r.topic(), r.key(), headers(r.headers()),
                            r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8));
                    if (r.topic().equals(topics.control())) {
                        controls.add(received);
                        check("control.v1.schema.json", received.value());
                        AtomicBoolean flag = running.get(received.json().path("id").asText());
                        if (flag != null) {
                            flag.set(true);
                        }
                    } else {
                        requests.put(r.key() == null ? "" : r.key(), received);
                        tasks.submit(() -> handle(received));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void handle(Received r) {
        try {
            JsonNode req;
            try {
                req = WireFormat.mapper().readTree(r.value());
            } catch (IOException e) {
                fail(r.key(), "", "NOT_JSON", "the request is not JSON: " + e.getMessage(), "parse");
                return;
            }
            check("request.v1.schema.json", r.value());
            String id = req.path("id").asText();
            String type = req.path("type").asText();
            if (!type.equals("echo")) {
                fail(id, type, "UNKNOWN_TYPE", "unknown task type '" + type + "'; known: echo", "route");
                return;
            }
            if (schemas.isPresent() && schemas.get().hasSchema("tasks/echo.v1.schema.json")) {
                check("tasks/echo.v1.schema.json", req.path("params").toString());
            }
            echo(id, req);
        } catch (Exception e) {
            violations.add("responder crashed on " + r.key() + ": " + e);
        }
    }

    private void echo(String id, JsonNode req) throws Exception {
        Instant received = Instant.now();
        JsonNode params = req.path("params");
        JsonNode imageRef = params.path("image");
        byte[] bytes = imageRef.has("data") ? Base64.getDecoder().decode(imageRef.get("data").asText())
                : Files.readAllBytes(Path.of(URI.create(imageRef.path("uri").asText())));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        if (image == null) {
            fail(id, "echo", "UNDECODABLE_IMAGE", "params.image is neither PNG nor JPEG", "validate");
            return;
        }
        int steps = params.path("steps").asInt(3);
        long delay = params.path("delayMillis").asLong(0);
        int every = Math.max(1, req.path("progress").path("every").asInt(1));
        boolean previews = req.path("progress").path("previews").asBoolean(false);
        AtomicBoolean cancelled = new AtomicBoolean();
        running.put(id, cancelled);
        try {
            for (int s = 1; s <= steps; s++) {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                while (System.nanoTime() < until && !cancelled.get()) {
                    Thread.sleep(10);
                }
                if (cancelled.get()) {
                    fail(id, "echo", "CANCELLED", "task '" + id + "' was cancelled by a control message after "
                            + (s - 1) + " of " + steps + " steps", "run", "CANCELLED");
                    return;
                }
                if (s % every != 0 && s != steps) {
                    continue;
                }
                ObjectNode progress = JsonNodeFactory.instance.objectNode();
                progress.put("id", id).put("type", "echo").put("stage", "synthesis").put("step", s)
                        .put("totalSteps", steps).put("fraction", (double) s / steps);
                progress.putObject("metrics").put("loss", 1.0 / s);
                if (previews && image.getWidth() <= 64 && image.getHeight() <= 64) {
                    progress.putArray("previews").addObject().put("mediaType", "image/png")
                            .put("width", image.getWidth()).put("height", image.getHeight())
                            .put("channels", image.getRaster().getNumBands() == 1 ? 1 : 3)
                            .put("data", Base64.getEncoder().encodeToString(TestImages.encode(image, "png")));
                }
                progress.put("at", Instant.now().toString());
                send(topics.progress(), id, WireContract.TYPE_PROGRESS, "progress.v1.schema.json", progress);
            }
        } finally {
            running.remove(id);
        }
        if (params.has("failWith")) {
            fail(id, "echo", params.get("failWith").asText(), "failing as asked (failWith)", "run");
            return;
        }
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("id", id).put("type", "echo").put("status", "SUCCEEDED");
        ObjectNode img = result.putArray("images").addObject();
        img.put("role", "result").put("index", 0).put("mediaType", "image/png")
                .put("width", image.getWidth()).put("height", image.getHeight())
                .put("channels", image.getRaster().getNumBands() == 1 ? 1 : 3);
        byte[] png = TestImages.encode(image, "png");
        if (id.startsWith("by-uri-")) {
            Path file = uriDir.resolve(id + "-result-0.png");
            Files.write(file, png);
            img.put("uri", file.toUri().toString());
        } else {
            img.put("data", Base64.getEncoder().encodeToString(png));
        }
        img.putObject("metadata").put("topClass", "sneaker");
        result.putObject("metadata").put("steps", steps);
        ObjectNode prov = result.putObject("provenance");
        prov.put("plugin", "rsynth-test-echo").put("pluginVersion", "1.0.0").put("spiVersion", "1.0")
                .put("model", req.path("model").asText("fashion-robust-l2")).put("modelSha256", "")
                .put("seed", req.path("seed").asLong(7)).put("steps", steps)
                .put("receivedAt", received.toString()).put("startedAt", received.toString())
                .put("finishedAt", Instant.now().toString()).put("queueMillis", 0)
                .put("runMillis", Duration.between(received, Instant.now()).toMillis());
        prov.putObject("params").put("steps", steps);
        prov.putObject("runtime").put("java", System.getProperty("java.specification.version"))
                .put("os", "Linux").put("arch", "amd64").put("executionProvider", "CPU")
                .put("instance", "contract-responder");
        send(topics.results(), id, WireContract.TYPE_RESULT, "result.v1.schema.json", result);
    }

    private void fail(String id, String type, String code, String message, String stage) throws Exception {
        fail(id, type, code, message, stage, "FAILED");
    }

    private void fail(String id, String type, String code, String message, String stage, String status)
            throws Exception {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("id", id).put("type", type).put("status", status);
        result.putArray("images");
        result.putObject("error").put("code", code).put("message", message).put("stage", stage);
        send(topics.results(), id, WireContract.TYPE_RESULT, "result.v1.schema.json", result);
    }

    private void send(String topic, String id, String ceType, String schema, ObjectNode value) throws Exception {
        String json = value.toString();
        check(schema, json);
        RecordHeaders h = new RecordHeaders();
        h.add(WireContract.HEADER_SPEC_VERSION, bytes(WireContract.SPEC_VERSION));
        h.add(WireContract.HEADER_ID, bytes(UUID.randomUUID().toString()));
        h.add(WireContract.HEADER_SOURCE, bytes("/rsynth/contract-responder"));
        h.add(WireContract.HEADER_TYPE, bytes(ceType));
        h.add(WireContract.HEADER_SUBJECT, bytes(id));
        h.add(WireContract.HEADER_CONTENT_TYPE, bytes(WireContract.CONTENT_TYPE_JSON));
        producer.send(new ProducerRecord<>(topic, null, id, bytes(json), h)).get();
    }

    private void check(String schema, String json) {
        schemas.ifPresent(s -> s.violations(schema, json).forEach(v -> violations.add(schema + ": " + v + " in " + abbreviate(json))));
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static Map<String, String> headers(Iterable<Header> headers) {
        Map<String, String> map = new java.util.LinkedHashMap<>();
        headers.forEach(h -> map.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8)));
        return map;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closing = true;
        consumer.wakeup();
        tasks.shutdownNow();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(2));
    }
}
