package dev.robustsynth.service.jobs;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.cli.WireFormat;
import dev.robustsynth.service.kafka.CloudEvents;
import dev.robustsynth.service.kafka.DeadLetterHeaders;
import dev.robustsynth.service.message.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.jboss.logging.Logger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The bulk-jobs topology. Job requests ({@code rsynth.jobs}), item outcomes ({@code rsynth.results}, ids
 * {@code <job>/<index>}) and cancel-job commands ({@code rsynth.control}) become one stream of events keyed by job
 * id, repartitioned once ({@value #EVENTS}) so one task owns all of a job. Its processor keeps, in stores with
 * changelogs (so a restarted or moved splitter continues where it stopped): each job's state ({@value #JOBS}) and
 * each item's manifest line ({@value #ITEMS}, which also dedups outcomes; it also holds a listed item's own
 * parameters, {@code <job>#<index>}, until the job ends). It validates a job (refusal: FAILED status + the job
 * record on the DLQ; for a job id in use the FAILED status is filed under {@code <id>/refused/<partition>-<offset>}
 * of the submission, so that the status of the job holding the id stays its own), publishes items to the tasks topic while fewer than the job's window are outstanding (published −
 * outcomes), counts outcomes, writes each item's images into the job's output directory (temp + rename, names
 * {@code <index>-<k>.png}), publishes status on every change and every status interval, and on a terminal state
 * writes manifest.jsonl (temp + rename), one line per item in index order. Outputs go to their topic by
 * {@link Out#topic()}. A global store of the status topic ({@value #STATUS}) answers {@code GET /jobs/{id}} on any
 * instance.
 */
public final class JobTopology {
    static final String EVENTS = "job-events";
    static final String JOBS = "job-state";
    static final String ITEMS = "job-items";
    public static final String STATUS = "job-status";
    private static final Logger LOG = Logger.getLogger(JobTopology.class);

    /** The topics and settings the topology needs. */
    public record Settings(String jobs, String status, String tasks, String results, String control, String dlq,
                           int window, Duration statusInterval, Path outputRoot, String source) {
        public Settings {
            requireNonNull(jobs, "jobs is null");
            requireNonNull(outputRoot, "outputRoot is null");
        }
    }

    /** One output record: its topic and value (key and headers ride on the Record). */
    public record Out(String topic, byte[] value) {
    }

    private JobTopology() {
    }

    public static Topology build(Settings s, JobValidator validator, Supplier<Instant> clock) {
        StreamsBuilder b = new StreamsBuilder();
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(JOBS), Serdes.String(),
                Serdes.ByteArray()));
        b.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ITEMS), Serdes.String(),
                Serdes.ByteArray()));
        Consumed<String, byte[]> bytes = Consumed.with(Serdes.String(), Serdes.ByteArray());
        KStream<String, byte[]> jobs = b.stream(s.jobs(), bytes)
                .process(() -> new Processor<String, byte[], String, byte[]>() {
                    private ProcessorContext<String, byte[]> context;

                    @Override
                    public void init(ProcessorContext<String, byte[]> context) {
                        this.context = context;
                    }

                    @Override
                    public void process(Record<String, byte[]> r) {
                        ObjectNode e = Json.object();
                        e.put("kind", "submit");
                        e.put("value", r.value() == null ? null : Base64.getEncoder().encodeToString(r.value()));
                        context.recordMetadata().ifPresent(m -> {
                            e.put("topic", m.topic());
                            e.put("partition", m.partition());
                            e.put("offset", m.offset());
                        });
                        String key = r.key() != null ? r.key() : idOf(r.value());
                        context.forward(r.withKey(key).withValue(Json.bytes(e)));
                    }
                });
        KStream<String, byte[]> outcomes = b.stream(s.results(), bytes)
                .filter((k, v) -> k != null && k.lastIndexOf('/') > 0 && v != null)
                .map((k, v) -> {
                    ObjectNode e = Json.object();
                    e.put("kind", "outcome");
                    e.put("item", k);
                    e.set("result", Json.parse(v));
                    return KeyValue.pair(k.substring(0, k.lastIndexOf('/')), Json.bytes(e));
                });
        KStream<String, byte[]> cancels = b.stream(s.control(), bytes)
                .flatMap((k, v) -> {
                    try {
                        JsonNode c = Json.parse(v);
                        if ("cancel-job".equals(c.path("action").asString(null)) && c.path("id").isString()) {
                            ObjectNode e = Json.object();
                            e.put("kind", "cancel");
                            return java.util.List.of(KeyValue.pair(c.get("id").asString(), Json.bytes(e)));
                        }
                    } catch (RuntimeException ignored) {
                        // not a job command; the task cancel path logs bad control records
                    }
                    return java.util.List.of();
                });
        jobs.merge(outcomes).merge(cancels)
                .repartition(Repartitioned.with(Serdes.String(), Serdes.ByteArray()).withName(EVENTS))
                .process(() -> new JobProcessor(s, validator, clock), JOBS, ITEMS)
                .to((key, out, ctx) -> out.topic(), Produced.with(Serdes.String(),
                        Serdes.serdeFrom((topic, out) -> out.value(), (topic, data) -> new Out(topic, data))));
        b.globalTable(s.status(), bytes, Materialized.as(STATUS));
        return b.build();
    }

    private static String idOf(byte[] value) {
        try {
            return Json.parse(value).path("id").asString("");
        } catch (RuntimeException e) {
            return "";
        }
    }

    static final class JobProcessor implements Processor<String, byte[], String, Out> {
        private final Settings s;
        private final JobValidator validator;
        private final Supplier<Instant> clock;
        private final Set<String> active = new LinkedHashSet<>();
        private ProcessorContext<String, Out> context;
        private KeyValueStore<String, byte[]> jobs;
        private KeyValueStore<String, byte[]> items;

        JobProcessor(Settings s, JobValidator validator, Supplier<Instant> clock) {
            this.s = s;
            this.validator = validator;
            this.clock = clock;
        }

        @Override
        public void init(ProcessorContext<String, Out> context) {
            this.context = context;
            this.jobs = context.getStateStore(JOBS);
            this.items = context.getStateStore(ITEMS);
            try (KeyValueIterator<String, byte[]> all = jobs.all()) {
                all.forEachRemaining(kv -> {
                    if (!terminal(Json.parse(kv.value).get("state").asString())) {
                        active.add(kv.key);
                    }
                });
            }
            context.schedule(s.statusInterval(), PunctuationType.WALL_CLOCK_TIME, t -> {
                for (String id : Set.copyOf(active)) {
                    ObjectNode job = load(id);
                    if (job != null) {
                        status(job);
                    }
                }
            });
        }

        @Override
        public void process(Record<String, byte[]> r) {
            ObjectNode e = (ObjectNode) Json.parse(r.value());
            switch (e.get("kind").asString()) {
                case "submit" -> submit(r, e);
                case "outcome" -> outcome(r.key(), e.get("item").asString(), e.get("result"));
                case "cancel" -> cancel(r.key());
                default -> LOG.warnf("unknown job event %s", e.get("kind"));
            }
        }

        private void submit(Record<String, byte[]> r, ObjectNode e) {
            byte[] value = e.get("value").isNull() ? null : Base64.getDecoder().decode(e.get("value").asString());
            String id = r.key();
            ObjectNode submission = Json.object();
            submission.put("topic", e.path("topic").asString(s.jobs()));
            submission.put("partition", e.path("partition").asInt(-1));
            submission.put("offset", e.path("offset").asLong(-1));
            ObjectNode existing = load(id);
            if (existing != null && !"FAILED".equals(existing.get("state").asString())) {
                // The job's own status stays the running (or finished) job's: the refusal of this submission is
                // filed under a key of its own, which no job id can take ('/' is not allowed in one).
                String message = "job id '" + id + "' is in use (state " + existing.get("state").asString()
                        + "); use a new id";
                status(refusal(id, submission, JobCode.JOB_ID_IN_USE, message), refusalKey(id, submission));
                deadLetter(r, e, value, JobCode.JOB_ID_IN_USE, message);
                return;
            }
            ObjectNode job;
            try {
                job = validator.check(value);
                if (!id.equals(job.get("id").asString())) {
                    throw new JobValidator.Refused(JobCode.JOB_MALFORMED, "the record key '" + id
                            + "' is not the job id '" + job.get("id").asString() + "'");
                }
            } catch (JobValidator.Refused refused) {
                if (!id.isEmpty()) { // with neither a key nor a readable id there is no status to file it under
                    ObjectNode failed = refusal(id, submission, refused.code(), refused.getMessage());
                    jobs.put(id, Json.bytes(failed));
                    status(failed);
                }
                deadLetter(r, e, value, refused.code(), refused.getMessage());
                return;
            }
            job.set("submission", submission);
            if (job.has("itemParams")) {
                // Listed items' own parameters go to the items store once, one entry each, so that the job's state
                // record (rewritten on every outcome) stays small however long the list.
                JsonNode own = job.remove("itemParams");
                for (int i = 0; i < own.size(); i++) {
                    items.put(paramsKey(id, i), Json.bytes(own.get(i)));
                }
                job.remove("items");
            }
            Path dir = outputDir(id);
            try {
                Files.createDirectories(dir);
            } catch (IOException ex) {
                LOG.warnf("cannot create %s: %s", dir, ex);
            }
            Instant now = clock.get();
            job.put("state", "ACCEPTED");
            job.put("published", 0);
            job.put("succeeded", 0);
            job.put("failed", 0);
            job.put("cancelled", 0);
            job.put("startedAt", now.toString());
            job.put("output", dir.toUri().toString());
            job.put("manifest", dir.resolve("manifest.jsonl").toUri().toString());
            status(job);
            job.put("state", "RUNNING");
            active.add(id);
            fill(job);
            save(job);
            status(job);
        }

        private void outcome(String id, String item, JsonNode result) {
            ObjectNode job = load(id);
            if (job == null || terminal(job.get("state").asString())) {
                return;
            }
            int index;
            try {
                index = Integer.parseInt(item.substring(item.lastIndexOf('/') + 1));
            } catch (NumberFormatException e) {
                return;
            }
            if (index < 0 || index >= job.get("published").intValue() || items.get(item) != null) {
                return; // not an item of this job, or an outcome seen already (a republished first outcome)
            }
            String state = result.path("status").asString("FAILED");
            ObjectNode line = Json.object();
            line.put("index", index);
            line.put("id", item);
            line.put("status", state);
            var files = line.putArray("files");
            var images = line.putArray("images");
            int k = 0;
            for (JsonNode image : result.path("images")) {
                String name = index + "-" + k++ + ".png";
                if (writeImage(outputDir(id).resolve(name), image)) {
                    files.add(name);
                    ObjectNode meta = images.addObject();
                    meta.put("file", name);
                    meta.set("role", image.get("role"));
                    meta.set("width", image.get("width"));
                    meta.set("height", image.get("height"));
                    meta.set("metadata", image.path("metadata").isMissingNode() ? Json.object()
                            : image.get("metadata"));
                }
            }
            line.set("provenance", result.path("provenance").isMissingNode() ? null : result.get("provenance"));
            line.set("error", result.path("error").isMissingNode() ? null : result.get("error"));
            items.put(item, Json.bytes(line));
            String counter = switch (state) {
                case "SUCCEEDED" -> "succeeded";
                case "CANCELLED" -> "cancelled";
                default -> "failed";
            };
            job.put(counter, job.get(counter).intValue() + 1);
            if (!job.path("cancelRequested").asBoolean(false)) {
                fill(job);
            }
            finishIfDone(job);
            save(job);
        }

        private void cancel(String id) {
            ObjectNode job = load(id);
            if (job == null || terminal(job.get("state").asString())) {
                return;
            }
            job.put("cancelRequested", true);
            job.put("state", "CANCELLING");
            int published = job.get("published").intValue();
            for (int i = 0; i < published; i++) {
                String item = id + "/" + i;
                if (items.get(item) == null) {
                    ObjectNode c = Json.object();
                    c.put("action", "cancel");
                    c.put("id", item);
                    context.forward(new Record<>(item, new Out(s.control(), Json.bytes(c)), context.currentSystemTimeMs(),
                            CloudEvents.headers(s.source(), CloudEvents.TYPE_CONTROL, item)));
                }
            }
            status(job);
            finishIfDone(job);
            save(job);
        }

        /** Publishes items while fewer than the window are outstanding. */
        private void fill(ObjectNode job) {
            String id = job.get("id").asString();
            int window = job.has("window") ? job.get("window").intValue() : s.window();
            long total = job.get("total").longValue();
            int published = job.get("published").intValue();
            int answered = done(job);
            ObjectNode shared = job.has("params") ? (ObjectNode) job.get("params") : Json.object();
            long seed = job.has("seed") ? job.get("seed").longValue()
                    : dev.robustsynth.service.intake.RequestIntake.seedOf(id);
            while (published < total && published - answered < window) {
                int i = published;
                ObjectNode own;
                if (!job.has("items")) {
                    own = (ObjectNode) Json.parse(items.get(paramsKey(id, i)));
                } else {
                    JsonNode classes = job.get("items").get("generator").get("classes");
                    own = Json.object();
                    own.set("class", classes.get(i % classes.size()));
                }
                ObjectNode task = Json.object();
                String item = id + "/" + i;
                task.put("id", item);
                task.set("type", job.get("type"));
                task.set("model", job.get("model"));
                task.set("params", JobValidator.merged(shared, own));
                task.put("seed", seed + i);
                task.put("priority", job.has("priority") ? job.get("priority").intValue() : -10);
                task.put("job", id);
                context.forward(new Record<>(item, new Out(s.tasks(), Json.bytes(task)), context.currentSystemTimeMs(),
                        CloudEvents.headers(s.source(), CloudEvents.TYPE_REQUEST, item)));
                published++;
            }
            job.put("published", published);
        }

        private void finishIfDone(ObjectNode job) {
            int published = job.get("published").intValue();
            long total = job.get("total").longValue();
            boolean cancelling = job.path("cancelRequested").asBoolean(false);
            if (done(job) < published || (!cancelling && published < total)) {
                return;
            }
            String id = job.get("id").asString();
            if (cancelling) {
                job.put("cancelled", job.get("cancelled").intValue() + (int) (total - published));
                job.put("state", "CANCELLED");
            } else {
                job.put("state", job.get("failed").intValue() + job.get("cancelled").intValue() == 0 ? "SUCCEEDED"
                        : "COMPLETED");
            }
            writeManifest(id, total);
            if (!job.has("items")) {
                for (int i = 0; i < total; i++) {
                    items.delete(paramsKey(id, i));
                }
            }
            active.remove(id);
            status(job);
        }

        private void writeManifest(String id, long total) {
            Path dir = outputDir(id);
            Path temp = dir.resolve(".manifest.jsonl.tmp");
            try (var out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                for (int i = 0; i < total; i++) {
                    byte[] line = items.get(id + "/" + i);
                    if (line == null) {
                        line = WireFormat.mapper().writeValueAsBytes(WireFormat.manifestLineNeverPublished(id, i));
                    }
                    out.write(new String(line, StandardCharsets.UTF_8));
                    out.write('\n');
                }
            } catch (IOException e) {
                LOG.errorf(e, "cannot write the manifest of job %s", id);
                return;
            }
            try {
                Files.move(temp, dir.resolve("manifest.jsonl"), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                LOG.errorf(e, "cannot move the manifest of job %s into place", id);
            }
        }

        /** Writes one result image (inline data or a file: URI) under its idempotent name, atomically. */
        private static boolean writeImage(Path target, JsonNode image) {
            try {
                byte[] png;
                if (image.hasNonNull("data")) {
                    png = Base64.getDecoder().decode(image.get("data").asString());
                } else if (image.hasNonNull("uri")) {
                    png = Files.readAllBytes(Path.of(java.net.URI.create(image.get("uri").asString())));
                } else {
                    return false;
                }
                Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
                Files.createDirectories(target.getParent());
                Files.write(temp, png);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return true;
            } catch (IOException | RuntimeException e) {
                LOG.warnf("cannot write %s: %s", target, e);
                return false;
            }
        }

        /** The items-store key of a listed item's own parameters ({@code #}: in no job id, in no item id). */
        private static String paramsKey(String id, int index) {
            return id + "#" + index;
        }

        private static ObjectNode refusal(String id, ObjectNode submission, JobCode code, String message) {
            ObjectNode failed = Json.object();
            failed.put("id", id);
            failed.put("state", "FAILED");
            failed.put("total", 0);
            failed.put("published", 0);
            failed.set("submission", submission);
            failed.putObject("error").put("code", code.name()).put("message", message);
            return failed;
        }

        /** Where the refusal of one submission of a job id in use is filed: {@code <id>/refused/<partition>-<offset>}. */
        static String refusalKey(String id, JsonNode submission) {
            return id + "/refused/" + submission.get("partition").asInt() + "-" + submission.get("offset").asLong();
        }

        private void status(ObjectNode job) {
            status(job, job.get("id").asString());
        }

        private void status(ObjectNode job, String key) {
            Instant now = clock.get();
            ObjectNode st = Json.object();
            String id = job.get("id").asString();
            st.put("id", id);
            st.set("state", job.get("state"));
            if (job.has("type")) {
                st.set("type", job.get("type"));
                st.set("model", job.get("model"));
            }
            long total = job.get("total").longValue();
            int succeeded = job.path("succeeded").asInt(0);
            int failed = job.path("failed").asInt(0);
            int cancelled = job.path("cancelled").asInt(0);
            long remaining = total - succeeded - failed - cancelled;
            st.put("total", total);
            st.set("published", job.get("published"));
            st.put("succeeded", succeeded);
            st.put("failed", failed);
            st.put("cancelled", cancelled);
            st.put("remaining", remaining);
            if (job.has("startedAt")) {
                double seconds = Math.max(1e-3, Duration.between(Instant.parse(job.get("startedAt").asString()), now)
                        .toMillis() / 1000.0);
                double rate = (succeeded + failed + cancelled) / seconds;
                st.put("ratePerSecond", Math.round(rate * 10) / 10.0);
                if (rate > 0) {
                    st.put("etaSeconds", Math.round(remaining / rate));
                } else {
                    st.putNull("etaSeconds");
                }
                st.set("startedAt", job.get("startedAt"));
                st.set("output", job.get("output"));
                st.set("manifest", job.get("manifest"));
            }
            st.put("updatedAt", now.toString());
            if (job.has("submission")) {
                st.set("submission", job.get("submission"));
            }
            if (job.has("error")) {
                st.set("error", job.get("error"));
            }
            Headers h = CloudEvents.headers(s.source(), "dev.robustsynth.job-status.v1", id);
            context.forward(new Record<>(key, new Out(s.status(), Json.bytes(st)), context.currentSystemTimeMs(), h));
        }

        private void deadLetter(Record<String, byte[]> r, ObjectNode e, byte[] value, JobCode code, String message) {
            LOG.infof("job '%s' refused: %s %s", r.key(), code, message);
            Headers h = new RecordHeaders();
            for (var header : r.headers()) {
                h.add(header.key(), header.value());
            }
            h.add(DeadLetterHeaders.CODE, utf8(code.name()));
            h.add(DeadLetterHeaders.MESSAGE, utf8(message));
            h.add(DeadLetterHeaders.STAGE, utf8("validate"));
            h.add(DeadLetterHeaders.SOURCE_TOPIC, utf8(e.path("topic").asString(s.jobs())));
            h.add(DeadLetterHeaders.SOURCE_PARTITION, utf8(Integer.toString(e.path("partition").asInt(-1))));
            h.add(DeadLetterHeaders.SOURCE_OFFSET, utf8(Long.toString(e.path("offset").asLong(-1))));
            context.forward(new Record<>(r.key(), new Out(s.dlq(), value), r.timestamp(), h));
        }

        private Path outputDir(String id) {
            return s.outputRoot().toAbsolutePath().normalize().resolve(id.replaceAll("[^A-Za-z0-9._=+@-]", "_"));
        }

        private ObjectNode load(String id) {
            byte[] v = id == null || id.isEmpty() ? null : jobs.get(id);
            return v == null ? null : (ObjectNode) Json.parse(v);
        }

        private void save(ObjectNode job) {
            jobs.put(job.get("id").asString(), Json.bytes(job));
        }

        private static int done(ObjectNode job) {
            return job.path("succeeded").asInt(0) + job.path("failed").asInt(0) + job.path("cancelled").asInt(0);
        }

        private static boolean terminal(String state) {
            return switch (state) {
                case "SUCCEEDED", "COMPLETED", "CANCELLED", "FAILED" -> true;
                default -> false;
            };
        }

        private static byte[] utf8(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
