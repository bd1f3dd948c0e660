package dev.robustsynth.cli;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Follows the results and progress topics for a {@link RsynthClient}. It uses no consumer group:
 * it is assigned every partition of both topics and positioned (at the end, or at a timestamp) in
 * its constructor, that is before the client can submit anything, so no fast result can slip by.
 * One daemon thread polls and hands each record to the {@link TaskWatch} of its task id; records
 * of ids nobody watches are skipped without being parsed (the key is the id).
 */
final class TopicFollower implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TopicFollower.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);

    private final RsynthTopics topics;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, TaskWatch> watches = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean started;
    private volatile boolean closing;
    private volatile Throwable failure;

    TopicFollower(RsynthClientConfig config, String clientId) throws RsynthClientException {
        this.topics = config.topics();
        consumer = new KafkaConsumer<>(consumerProperties(config, clientId + "-follower"));
        try {
            position(config);
        } catch (KafkaException | RsynthClientException e) {
            consumer.close(Duration.ZERO);
            if (e instanceof RsynthClientException rce) {
                throw rce;
            }
            String why = e instanceof org.apache.kafka.common.errors.TimeoutException
                    ? "cannot reach Kafka at " + config.bootstrapServers() + " within "
                            + RsynthClientConfig.human(config.connectTimeout())
                    : "cannot follow " + topics.results() + " and " + topics.progress() + " on "
                            + config.bootstrapServers();
            throw new RsynthClientException(why + " (" + e.getMessage() + ")", e);
        }
        thread = Thread.ofPlatform().daemon().name(clientId + "-follower").unstarted(this::run);
    }

    /** A group-less, read_committed consumer's properties (the client's readers commit nothing). */
    static Properties consumerProperties(RsynthClientConfig config, String clientId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.putAll(config.kafkaProperties());
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }

    /**
     * Starts polling (idempotent). Positions are fixed in the constructor, so starting late loses
     * nothing; it lets callers register the ids they want before the first record is looked at.
     */
    synchronized void start() {
        if (!started && !closing) {
            started = true;
            thread.start();
        }
    }

    /** Registers interest in a task id (idempotent); records for it are kept from now on. */
    TaskWatch watch(String id) {
        return watches.computeIfAbsent(id, k -> new TaskWatch());
    }

    void forget(String id) {
        watches.remove(id);
    }

    /** Why the follower stopped, if it did. */
    Throwable failure() {
        return failure;
    }

    private void position(RsynthClientConfig config) throws RsynthClientException {
        Duration timeout = config.connectTimeout();
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.results(), topics.progress())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos == null || infos.isEmpty()) {
                throw new RsynthClientException("topic '" + topic + "' does not exist on " + config.bootstrapServers()
                        + " (and the broker did not create it); start the service or create the topics"
                        + " (deploy/kafka/create-topics.sh)");
            }
            infos.forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        if (config.listenFrom().isPresent()) {
            long millis = config.listenFrom().get().toEpochMilli();
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(tp -> query.put(tp, millis));
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, timeout);
            found.forEach((tp, ot) -> {
                if (ot != null) {
                    consumer.seek(tp, ot.offset());
                }
            });
        }
        // seekToEnd is lazy: resolve every position now, so "the end" means "before submit".
        for (TopicPartition tp : partitions) {
            consumer.position(tp, timeout);
        }
    }

    private void run() {
        try {
            while (!closing) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
                // progress before results: when catching up, one poll may hold a task's result and
                // its progress events, and a result ends the wait
                records.records(topics.progress()).forEach(this::dispatch);
                records.records(topics.results()).forEach(this::dispatch);
            }
        } catch (WakeupException e) {
            if (!closing) {
                fail(e);
            }
        } catch (Throwable t) {
            fail(t);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void dispatch(ConsumerRecord<String, byte[]> record) {
        String key = record.key();
        if (key != null && !watches.containsKey(key)) {
            return;
        }
        try {
            Object event;
            String id;
            if (record.topic().equals(topics.results())) {
                TaskOutcome outcome = WireFormat.decodeResult(record.value());
                event = outcome;
                id = outcome.id();
            } else {
                ProgressEvent progress = WireFormat.decodeProgress(record.value());
                event = progress;
                id = progress.id();
            }
            TaskWatch watch = watches.get(id);
            if (watch != null) {
                watch.offer(event);
            }
        } catch (MalformedMessageException e) {
            LOG.log(Level.WARNING, "skipping {0}-{1}@{2}: {3}", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
        }
    }

    private void fail(Throwable t) {
        failure = t;
        LOG.log(Level.ERROR, "result follower stopped", t);
        watches.values().forEach(w -> w.offer(new TaskWatch.Failure(t)));
    }

    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        if (!started) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
