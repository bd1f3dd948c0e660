package dev.robustsynth.service.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** CloudEvents binary-mode Kafka headers (docs/MESSAGES.md) set on every record the service publishes. */
public final class CloudEvents {
    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";

    public static final String TYPE_RESULT = "dev.robustsynth.result.v1";
    public static final String TYPE_PROGRESS = "dev.robustsynth.progress.v1";
    public static final String TYPE_REQUEST = "dev.robustsynth.request.v1";
    public static final String TYPE_CONTROL = "dev.robustsynth.control.v1";

    private CloudEvents() {
    }

    /** Fresh headers for one record: a new ce_id, the given type and subject (the task id). */
    public static Headers headers(String source, String type, String subject) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SPEC_VERSION, utf8("1.0"));
        headers.add(ID, utf8(UUID.randomUUID().toString()));
        headers.add(SOURCE, utf8(source));
        headers.add(TYPE, utf8(type));
        headers.add(SUBJECT, utf8(subject));
        headers.add(TIME, utf8(Instant.now().toString()));
        headers.add(CONTENT_TYPE, utf8("application/json"));
        return headers;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
