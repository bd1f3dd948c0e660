package dev.robustsynth.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.service.config.RsynthConfig;
import dev.robustsynth.service.kafka.KafkaSettings;
import dev.robustsynth.service.testing.ServiceProcess;
import dev.robustsynth.service.testing.TestBroker;
import dev.robustsynth.service.testing.TestImages;
import dev.robustsynth.service.testing.TopicRecorder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the broker goes away while a task runs, the finished outcome cannot be committed: the service reports
 * commits frozen once that lasts past rsynth.kafka.commit-stall-bound (readiness DOWN), and not before.
 */
class CommitStallTest {
    @TempDir
    Path temp;

    @Test
    void commitsFrozenPastTheBoundWhenTheBrokerIsGone() throws Exception {
        TestBroker broker = TestBroker.start();
        Map<String, String> settings = new HashMap<>(ServiceProcess.settings(temp, broker.bootstrapServers(),
                "stall"));
        settings.put("rsynth.kafka.commit-stall-bound", "PT3S");
        settings.put("rsynth.kafka.partitions", "1");
        Map<String, String> kafka = new HashMap<>();
        Map<String, String> rsynth = new HashMap<>();
        settings.forEach((k, v) -> (k.startsWith(KafkaSettings.PREFIX) ? kafka : rsynth)
                .put(k.startsWith(KafkaSettings.PREFIX) ? k.substring(KafkaSettings.PREFIX.length()) : k, v));
        kafka.put("max.block.ms", "5000");
        kafka.put("request.timeout.ms", "5000");
        RsynthConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(rsynth, "test", 500)).withMapping(RsynthConfig.class).build()
                .getConfigMapping(RsynthConfig.class);
        ServiceAssembly service = ServiceAssembly.start(config, new KafkaSettings(kafka), new SimpleMeterRegistry(),
                CommitStallTest.class.getClassLoader());
        boolean brokerUp = true;
        try {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            String value = "{\"id\": \"stall-1\", \"type\": \"echo\", \"params\": {\"image\": {\"data\": \""
                    + Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28)) + "\"}, \"steps\": 6, "
                    + "\"delayMillis\": 500, \"classify\": false}}";
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
                 TopicRecorder progress = new TopicRecorder(broker.bootstrapServers(), "rsynth.progress")) {
                producer.send(new ProducerRecord<>("rsynth.tasks", "stall-1".getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8))).get();
                progress.await("stall-1", Duration.ofSeconds(60));
            }
            assertFalse(service.consumer().commitsFrozen(config.kafka().commitStallBound()), "commits flow");
            broker.close(); // the task finishes into a dead cluster
            brokerUp = false;
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!service.consumer().commitsFrozen(config.kafka().commitStallBound())
                    && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertTrue(service.consumer().commitsFrozen(config.kafka().commitStallBound()),
                    "frozen for " + service.consumer().commitsFrozenFor());
        } finally {
            service.close();
            if (brokerUp) {
                broker.close();
            }
        }
    }
}
