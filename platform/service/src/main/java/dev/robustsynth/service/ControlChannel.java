package dev.robustsynth.service;

import dev.robustsynth.service.intake.SchemaCatalog;
import dev.robustsynth.service.kafka.KafkaChannelConfig;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.service.run.InFlightTasks;
import java.util.List;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The {@code control} channel: {@code {"action": "cancel", "id": …}} cancels that task if it runs or waits here.
 * Every instance reads every control record (the channel's group id is unique to the instance, from
 * {@code quarkus.uuid}) from the end of the topic.
 */
@ApplicationScoped
public class ControlChannel {
    private static final Logger LOG = Logger.getLogger(ControlChannel.class);

    @Inject
    ServiceLifecycle lifecycle;

    @Incoming(KafkaChannelConfig.CONTROL)
    public void onRecord(ConsumerRecord<byte[], byte[]> record) {
        InFlightTasks inFlight = lifecycle.assembly().dispatcher().inFlight();
        SchemaCatalog schemas = lifecycle.assembly().schemas();
        JsonNode json;
        try {
            json = record.value() == null ? null : Json.parse(record.value());
        } catch (JacksonException e) {
            LOG.warnf("ignoring control record %s-%d@%d: not JSON", record.topic(), record.partition(),
                    record.offset());
            return;
        }
        List<String> problems = json == null ? List.of("no value")
                : SchemaCatalog.problems(schemas.message("control.v1.schema.json"), json, "");
        if (!problems.isEmpty()) {
            LOG.warnf("ignoring control record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    SchemaCatalog.summary(problems));
            return;
        }
        String id = json.get("id").asString();
        if ("cancel-job".equals(json.get("action").asString())) {
            return; // the jobs topology (dev.robustsynth.service.jobs) reads these and cancels the job's items
        }
        if (inFlight.cancel(id)) {
            LOG.infof("cancelling task %s at the request of a control message", id);
        } else {
            LOG.debugf("cancel for task %s: not in flight on this instance", id);
        }
    }
}
