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
 * Builds the records of outcomes (results and dead letters), which the {@link TaskConsumer} sends in its
 * transactions, and sends progress events itself with its own idempotent, non-transactional producer (progress is
 * not an outcome: a lost one is counted, never retried). Results and progress carry CloudEvents headers and the task
 * id as key, results also {@link OutcomeIndex#SOURCE_HEADER}; a dead letter is the original record with
 * {@link DeadLetterHeaders} added.
 */
public final class Publisher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Publisher.class);

    private final Producer<byte[], byte[]> producer;
    private final Topics topics;
    private final String source;
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

    /** A result record answering the request record {@code answers} ({@code topic-partition@offset}). */
    public ProducerRecord<byte[], byte[]> result(String id, byte[] json, String answers) {
        Headers headers = CloudEvents.headers(source, CloudEvents.TYPE_RESULT, id);
        headers.add(OutcomeIndex.SOURCE_HEADER, utf8(answers));
        return new ProducerRecord<>(topics.results(), null, utf8(id), json, headers);
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

    /** The original record with its key, value, headers and timestamp, plus the {@code rsynth.error.*} headers. */
    public ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> original, DeadLetter why) {
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
        return new ProducerRecord<>(topics.dlq(), null, timestamp, original.key(), original.value(), headers);
    }

    /**
     * Hands the record to the producer on the publisher's own thread: {@code KafkaProducer.send} may block (for
     * metadata, for buffer space), and it must not block the engine's scheduler thread that reports progress.
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
