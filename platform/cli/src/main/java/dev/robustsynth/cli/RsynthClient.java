package dev.robustsynth.cli;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Submits tasks to RobustSynth over Kafka and waits for their outcome, by the wire contract v1.
 *
 * <pre>{@code
 * try (RsynthClient client = new RsynthClient(RsynthClientConfig.of("localhost:9092"))) {
 *     String id = client.submit(TaskSubmission.builder("generate").model("fashion-robust-l2")
 *             .param("class", "sneaker").seed(7).build());
 *     TaskOutcome outcome = client.awaitResult(id, Duration.ofMinutes(5), p -> System.err.println(p.fraction()));
 * }
 * }</pre>
 *
 * Opening the client positions its result follower at the end of the results and progress topics
 * (or at {@link RsynthClientConfig#listenFrom()}); everything published afterwards for a task this
 * client submitted, or is awaiting, is kept until it is awaited. Thread-safe: several threads may
 * submit and await different tasks.
 */
public final class RsynthClient implements AutoCloseable {
    /** The producer's {@code max.request.size} unless {@code kafkaProperties} say otherwise: the service's default limit. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 8 * 1024 * 1024;

    private final RsynthClientConfig config;
    private final KafkaProducer<String, byte[]> producer;
    private final TopicFollower follower;
    private volatile boolean closed;

    /** Connects (within the config's connect timeout) and starts following results and progress. */
    public RsynthClient(RsynthClientConfig config) throws RsynthClientException {
        this.config = requireNonNull(config, "config is null");
        String clientId = "rsynth-client-" + UUID.randomUUID().toString().substring(0, 8);
        this.follower = new TopicFollower(config, clientId);
        try {
            this.producer = new KafkaProducer<>(producerProperties(config, clientId));
        } catch (KafkaException e) {
            follower.close();
            throw new RsynthClientException("cannot create a Kafka producer for " + config.bootstrapServers()
                    + ": " + e.getMessage(), e);
        }
    }

    public RsynthClientConfig config() {
        return config;
    }

    /**
     * Publishes a request on the tasks topic (key = id, CloudEvents headers) and returns its id once
     * the broker acknowledged it. The task is watched from before the send, so its result is never missed.
     */
    public String submit(TaskSubmission task) throws RsynthClientException {
        checkOpen();
        requireNonNull(task, "task is null");
        follower.watch(task.id());
        follower.start();
        try {
            publish(config.topics().tasks(), task.id(), WireContract.TYPE_REQUEST, WireFormat.encodeRequest(task));
        } catch (RsynthClientException e) {
            follower.forget(task.id());
            throw e;
        }
        return task.id();
    }

    /** Asks the service to cancel a task ({@code {"action":"cancel","id":…}} on the control topic). */
    public void cancel(String id) throws RsynthClientException {
        checkOpen();
        requireNonNull(id, "id is null");
        publish(config.topics().control(), id, WireContract.TYPE_CONTROL, WireFormat.encodeCancel(id));
    }

    /**
     * Keeps the records of a task this client did not submit from now on. Called before the first
     * {@link #submit} or {@link #awaitResult}, it sees everything since the client's starting position
     * ({@link RsynthClientConfig#listenFrom()}); that is how a result published earlier is picked up.
     */
    public void watch(String id) {
        checkOpen();
        follower.watch(requireNonNull(id, "id is null"));
    }

    /**
     * Waits for the result of task {@code id}, calling {@code onProgress} on this thread for each progress
     * event that arrives before it. Records of a task that this client neither submitted nor
     * {@linkplain #watch watched} are kept from this call on. After a timeout the task stays watched, so
     * awaiting it again loses nothing.
     *
     * @throws TaskTimeoutException  no result within {@code timeout}
     * @throws RsynthClientException the result follower stopped on a Kafka error
     */
    public TaskOutcome awaitResult(String id, Duration timeout, Consumer<ProgressEvent> onProgress)
            throws RsynthClientException, InterruptedException {
        checkOpen();
        requireNonNull(id, "id is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(onProgress, "onProgress is null");
        TaskWatch watch = follower.watch(id);
        follower.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Throwable failure = follower.failure();
            if (failure != null) {
                throw new RsynthClientException("the result follower stopped: " + failure, failure);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TaskTimeoutException(id, timeout);
            }
            Object event = watch.next(Duration.ofNanos(Math.min(left, Duration.ofMillis(500).toNanos())));
            if (event instanceof ProgressEvent progress) {
                onProgress.accept(progress);
            } else if (event instanceof TaskOutcome outcome) {
                follower.forget(id);
                // progress that was queued behind the result (it can only have been polled with it)
                for (Object late = watch.next(Duration.ZERO); late != null; late = watch.next(Duration.ZERO)) {
                    if (late instanceof ProgressEvent progress) {
                        onProgress.accept(progress);
                    }
                }
                return outcome;
            } else if (event instanceof TaskWatch.Failure f) {
                throw new RsynthClientException("the result follower stopped: " + f.cause(), f.cause());
            }
        }
    }

    /**
     * Publishes a bulk job on the jobs topic (key = job id) once the broker acknowledged it. To follow it without
     * missing a fast answer, open {@link #jobStatuses()} before this call.
     */
    public void submitJob(JobRequest job) throws RsynthClientException {
        checkOpen();
        requireNonNull(job, "job is null");
        publish(config.topics().jobs(), job.id(), WireContract.TYPE_JOB, WireFormat.encodeJob(job));
    }

    /** Asks the service to cancel a bulk job ({@code {"action":"cancel-job","id":…}} on the control topic). */
    public void cancelJob(String jobId) throws RsynthClientException {
        checkOpen();
        requireNonNull(jobId, "jobId is null");
        publish(config.topics().control(), jobId, WireContract.TYPE_CONTROL, WireFormat.encodeCancelJob(jobId));
    }

    /** Opens a reader of the job status topic from its beginning; close it after use. */
    public JobStatusStream jobStatuses() throws RsynthClientException {
        checkOpen();
        return new JobStatusStream(config);
    }

    /** Receives the first outcome of each item of a job, in topic order (not index order). */
    @FunctionalInterface
    public interface JobItemHandler {
        void accept(int index, TaskOutcome outcome) throws java.io.IOException;
    }

    /**
     * Reads every result committed on the results topic (read_committed, from its beginning) for the items
     * {@code <jobId>/<index>} with {@code 0 ≤ index < total}, and hands the first outcome of each to {@code onItem}
     * (the service publishes exactly one per id; a republished one is the same). Records of other ids are skipped
     * unparsed; an unreadable result of an item is skipped with a warning (so that item counts as missing).
     */
    public void jobOutcomes(String jobId, long total, JobItemHandler onItem)
            throws RsynthClientException, java.io.IOException {
        checkOpen();
        String prefix = requireNonNull(jobId, "jobId is null") + "/";
        java.util.BitSet seen = new java.util.BitSet();
        java.io.IOException[] failure = new java.io.IOException[1];
        try (TopicScan scan = new TopicScan(config, config.topics().results(), java.util.Map.of())) {
            scan.readToEnd((key, value) -> {
                if (failure[0] != null || !key.startsWith(prefix) || value == null) {
                    return;
                }
                int index = itemIndex(key.substring(prefix.length()));
                if (index < 0 || index >= total || seen.get(index)) {
                    return;
                }
                try {
                    TaskOutcome outcome = WireFormat.decodeResult(value);
                    seen.set(index);
                    onItem.accept(index, outcome);
                } catch (MalformedMessageException e) {
                    System.getLogger(RsynthClient.class.getName()).log(System.Logger.Level.WARNING,
                            "skipping the unreadable result of " + key + ": " + e.getMessage());
                } catch (java.io.IOException e) {
                    failure[0] = e;
                }
            });
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /** The decimal index of an item id's tail ({@code 0}, {@code 17}; no sign, no padding), or -1. */
    private static int itemIndex(String tail) {
        if (tail.isEmpty() || tail.length() > 9 || (tail.length() > 1 && tail.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < tail.length(); i++) {
            if (!Character.isDigit(tail.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(tail);
    }

    /** {@link #submit} then {@link #awaitResult}. */
    public TaskOutcome run(TaskSubmission task, Duration timeout, Consumer<ProgressEvent> onProgress)
            throws RsynthClientException, InterruptedException {
        return awaitResult(submit(task), timeout, onProgress);
    }

    private void publish(String topic, String key, String ceType, byte[] value) throws RsynthClientException {
        RecordHeaders headers = new RecordHeaders();
        headers.add(WireContract.HEADER_SPEC_VERSION, utf8(WireContract.SPEC_VERSION));
        headers.add(WireContract.HEADER_ID, utf8(UUID.randomUUID().toString()));
        headers.add(WireContract.HEADER_SOURCE, utf8(config.source()));
        headers.add(WireContract.HEADER_TYPE, utf8(ceType));
        headers.add(WireContract.HEADER_SUBJECT, utf8(key));
        headers.add(WireContract.HEADER_TIME, utf8(Instant.now().toString()));
        headers.add(WireContract.HEADER_CONTENT_TYPE, utf8(WireContract.CONTENT_TYPE_JSON));
        try {
            producer.send(new ProducerRecord<>(topic, null, key, value, headers)).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new RsynthClientException("cannot publish '" + key + "' to " + topic + " on "
                    + config.bootstrapServers() + ": " + cause.getMessage(), cause);
        } catch (KafkaException e) {
            throw new RsynthClientException("cannot publish '" + key + "' to " + topic + " on "
                    + config.bootstrapServers() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RsynthClientException("interrupted while publishing '" + key + "' to " + topic, e);
        }
    }

    private static Properties producerProperties(RsynthClientConfig config, String clientId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(config.connectTimeout().toMillis()));
        // inline images: the service accepts requests up to rsynth.max-message-bytes (8 MiB by default)
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(DEFAULT_MAX_REQUEST_BYTES));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.putAll(config.kafkaProperties());
        return props;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("RsynthClient is closed");
        }
    }

    /** Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            producer.close(Duration.ofSeconds(5));
        } finally {
            follower.close();
        }
    }
}
