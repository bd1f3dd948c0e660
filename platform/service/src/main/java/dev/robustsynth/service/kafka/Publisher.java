package dev.robustsynth.service.kafka;

import static dev.robustsynth.service.kafka.CloudEvents.utf8;
import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

/**
 * Publishes results, progress events and dead letters with one idempotent producer. Results and progress carry
 * CloudEvents headers and the task id as key; a dead letter is the original record with {@link DeadLetterHeaders}
 * added. Sends never throw into the caller: failures come back through the returned future.
 */
public final class Publisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Publisher.class);

    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    private final String source;
    private final AtomicLong dlqFailures = new AtomicLong();
    private final AtomicLong progressFailures = new AtomicLong();
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rsynth-publisher");
        t.setDaemon(true);
        return t;
    });

    /** @param source the CloudEvents source, {@code /rsynth/<instance>} */
    public Publisher(Producer<byte[], byte[]> producer, Topics topics, String source) {
        this.producer = requireNonNull(producer, "producer is null");
        this.topics = requireNonNull(topics, "topics is null");
        this.source = requireNonNull(source, "source is null");
    }

    public String source() {
        return source;
    }

    public CompletableFuture<RecordMetadata> result(String id, byte[] json) {
        return send(new ProducerRecord<>(topics.results(), null, utf8(id), json,
                CloudEvents.headers(source, CloudEvents.TYPE_RESULT, id)));
    }

    /** Fire and forget: a lost progress event is logged and counted, never retried. */
    public void progress(String id, byte[] json) {
        send(new ProducerRecord<>(topics.progress(), null, utf8(id), json,
                CloudEvents.headers(source, CloudEvents.TYPE_PROGRESS, id)))
                .exceptionally(e -> {
                    progressFailures.incrementAndGet();
                    LOG.debugf("progress event of %s lost: %s", id, e.toString());
                    return null;
                });
    }

    /**
     * Sends the original record with its key, value, headers and timestamp to the dead-letter topic, adding the
     * {@code rsynth.error.*} headers. A failure is logged and counted and completes the future normally (with
     * {@code null}): a dead letter that cannot be written must not block the consumer.
     */
    public CompletableFuture<RecordMetadata> deadLetter(ConsumerRecord<byte[], byte[]> original, DeadLetter why) {
        Headers headers = new RecordHeaders();
        for (Header h : original.headers()) {
            headers.add(h.key(), h.value());
        }
        headers.add(DeadLetterHeaders.CODE, utf8(why.code()));
        headers.add(DeadLetterHeaders.MESSAGE, utf8(why.message()));
        headers.add(DeadLetterHeaders.STAGE, utf8(why.stage()));
        headers.add(DeadLetterHeaders.SOURCE_TOPIC, utf8(original.topic()));
        headers.add(DeadLetterHeaders.SOURCE_PARTITION, utf8(Integer.toString(original.partition())));
        headers.add(DeadLetterHeaders.SOURCE_OFFSET, utf8(Long.toString(original.offset())));
        why.taskType().ifPresent(t -> headers.add(DeadLetterHeaders.TASK_TYPE, utf8(t)));
        why.exception().ifPresent(e -> headers.add(DeadLetterHeaders.EXCEPTION_CLASS, utf8(e)));
        Long timestamp = original.timestamp() >= 0 ? original.timestamp() : null;
        return send(new ProducerRecord<>(topics.dlq(), null, timestamp, original.key(), original.value(), headers))
                .exceptionally(e -> {
                    dlqFailures.incrementAndGet();
                    LOG.errorf("dead letter for %s-%d@%d (%s) could not be written: %s", original.topic(),
                            original.partition(), original.offset(), why.code(), e.toString());
                    return null;
                });
    }

    /**
     * Hands the record to the producer on the publisher's own thread: {@code KafkaProducer.send} may block (for
     * metadata, for buffer space), and it must block neither the consumer loop, nor the engine's scheduler thread
     * that reports progress, nor the producer's network thread that completes the futures (a send from there
     * would wait on itself). One thread also keeps each task's records in the order they were published.
     */
    private CompletableFuture<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
        CompletableFuture<RecordMetadata> future = new CompletableFuture<>();
        try {
            sender.execute(() -> {
                try {
                    producer.send(record, (metadata, error) -> {
                        if (error != null) {
                            future.completeExceptionally(error);
                        } else {
                            future.complete(metadata);
                        }
                    });
                } catch (KafkaException | IllegalStateException e) {
                    future.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new IllegalStateException("the publisher is closed", e));
        }
        return future;
    }

    public long deadLetterFailures() {
        return dlqFailures.get();
    }

    public long progressFailures() {
        return progressFailures.get();
    }

    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(Duration.ofSeconds(10));
    }
}
