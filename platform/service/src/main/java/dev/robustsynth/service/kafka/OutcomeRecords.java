package dev.robustsynth.service.kafka;

import static dev.robustsynth.service.kafka.CloudEvents.utf8;
import static java.util.Objects.requireNonNull;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds the records the service writes: results and dead letters (which the {@link OutcomeCommitter} sends in its
 * transactions) and progress events (which {@link ProgressChannel} sends, fire and forget). Results and progress
 * carry CloudEvents headers and the task id as key, results also {@link OutcomeIndex#SOURCE_HEADER}; a dead letter is
 * the original record with {@link DeadLetterHeaders} added.
 */
public final class OutcomeRecords {
    private final Topics topics;
    private final String source;

    /** @param source the CloudEvents source, {@code /rsynth/<instance>} */
    public OutcomeRecords(Topics topics, String source) {
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

    /** A progress event of task {@code id}. */
    public ProducerRecord<byte[], byte[]> progress(String id, byte[] json) {
        return new ProducerRecord<>(topics.progress(), null, utf8(id), json,
                CloudEvents.headers(source, CloudEvents.TYPE_PROGRESS, id));
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
}
