package dev.robustsynth.service;

import static java.util.Objects.requireNonNull;

import dev.robustsynth.service.intake.SchemaCatalog;
import dev.robustsynth.service.message.Json;
import dev.robustsynth.service.run.InFlightTasks;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Acts on control records: {@code {"action": "cancel", "id": …}} cancels that task if it runs or waits here. */
final class ControlCommands implements Consumer<ConsumerRecord<byte[], byte[]>> {
    private static final Logger LOG = Logger.getLogger(ControlCommands.class);

    private final InFlightTasks inFlight;
    private final SchemaCatalog schemas;

    ControlCommands(InFlightTasks inFlight, SchemaCatalog schemas) {
        this.inFlight = requireNonNull(inFlight, "inFlight is null");
        this.schemas = requireNonNull(schemas, "schemas is null");
    }

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> record) {
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
        if (inFlight.cancel(id)) {
            LOG.infof("cancelling task %s at the request of a control message", id);
        } else {
            LOG.debugf("cancel for task %s: not in flight on this instance", id);
        }
    }
}
