package dev.robustsynth.service.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads one topic from the beginning on a background thread, {@code read_committed} (as the outcome contract's
 * clients do), and keeps every record by key.
 */
public final class TopicRecorder implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<String, List<ConsumerRecord<byte[], byte[]>>> byKey = new ConcurrentHashMap<>();
    private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stopping;

    public TopicRecorder(String bootstrap, String topic) {
        this(bootstrapOnly(bootstrap), topic);
    }

    /** Reads with the given client settings (bootstrap servers, and a login on a secured broker). */
    public TopicRecorder(Properties client, String topic) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (partitions.isEmpty() && System.nanoTime() < until) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
            if (infos != null) {
                infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(this::loop, "recorder-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private static Properties bootstrapOnly(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return p;
    }

    private void loop() {
        try {
            while (!stopping) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    String key = r.key() == null ? "" : new String(r.key(), StandardCharsets.UTF_8);
                    firstSeenNanos.putIfAbsent(key, System.nanoTime());
                    byKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** The keys seen so far. */
    public java.util.Set<String> keys() {
        return java.util.Set.copyOf(byKey.keySet());
    }

    public List<ConsumerRecord<byte[], byte[]>> records(String key) {
        return List.copyOf(byKey.getOrDefault(key, List.of()));
    }

    /** When the first record of {@code key} was read ({@code System.nanoTime}). */
    public long receivedNanos(String key) {
        Long nanos = firstSeenNanos.get(key);
        if (nanos == null) {
            throw new IllegalStateException("no record with key '" + key + "'");
        }
        return nanos;
    }

    /** Waits until some record of {@code key} satisfies {@code test}; fails after the timeout. */
    public ConsumerRecord<byte[], byte[]> await(String key, Predicate<ConsumerRecord<byte[], byte[]>> test,
                                                Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            for (ConsumerRecord<byte[], byte[]> r : records(key)) {
                if (test.test(r)) {
                    return r;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no matching record with key '" + key + "' within " + timeout + "; seen: "
                + records(key).stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)
                .substring(0, Math.min(300, r.value().length))).toList());
    }

    public ConsumerRecord<byte[], byte[]> await(String key, Duration timeout) throws InterruptedException {
        return await(key, r -> true, timeout);
    }

    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        var h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        consumer.wakeup();
        thread.join(5000);
    }
}
