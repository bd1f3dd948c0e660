package dev.robustsynth.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.TaskOutcome;
import dev.robustsynth.cli.TaskStatus;
import dev.robustsynth.cli.TaskSubmission;
import dev.robustsynth.cli.WireContract;
import dev.robustsynth.service.testing.SecuredBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CLI and a service principal on a SASL_SSL / SCRAM-SHA-512 broker with the deployment's ACLs: the CLI's client submits
 * with the settings of its {@code --config} file, the service principal answers exactly once (transaction with the task offset),
 * the client reads the outcome, and a client trying to forge an outcome is refused.
 */
class SecuredBrokerTest {
    private static Path dir;
    private static SecuredBroker broker;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("rsynth-secured");
        broker = SecuredBroker.start(dir);
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theCliSubmitsWithItsConfigFileTheServicePrincipalAnswersInATransactionAndTheClientReadsIt()
            throws Exception {
        Path config = broker.writeConfigFile(dir.resolve("client.properties"), SecuredBroker.CLIENT);
        assertTrue(Files.readString(config).contains(SecuredBroker.CLIENT.password()), "the login travels in the file");
        Instant before = Instant.now().minusSeconds(1);
        String id = "secured-" + UUID.randomUUID();
        // what `rsynth submit --config FILE` builds (KafkaOptionsTest covers the option itself; picocli is the
        // CLI's optional dependency, not on this module's class path)
        Map<String, String> props = new HashMap<>(RsynthClientConfig.kafkaPropertiesFromFile(config));
        String bootstrap = props.remove("bootstrap.servers");
        try (RsynthClient client = new RsynthClient(RsynthClientConfig.builder(bootstrap).kafkaProperties(props)
                .listenFrom(before).build())) {
            client.submit(TaskSubmission.builder("echo").id(id).model("fashion-robust-l2").build());

            ConsumerRecord<byte[], byte[]> request = answerAsTheService(id);
            assertTrue(new String(request.value(), StandardCharsets.UTF_8).contains("\"type\":\"echo\""));

            TaskOutcome outcome = client.awaitResult(id, Duration.ofSeconds(30), p -> { });
            assertEquals(TaskStatus.FAILED, outcome.status());
            assertEquals("UNAVAILABLE", outcome.error().orElseThrow().code());
        }
    }

    /**
     * What the service's Kafka edge does for one request, as the service principal: consume in group
     * rsynth-service, write progress, the DLQ copy and the outcome, and commit the offset in one transaction.
     */
    private static ConsumerRecord<byte[], byte[]> answerAsTheService(String id) throws Exception {
        Properties c = broker.clientConfig(SecuredBroker.SERVICE);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "rsynth-service");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Properties p = broker.clientConfig(SecuredBroker.SERVICE);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "rsynth-rsynth-service-test-0");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            consumer.subscribe(List.of(WireContract.TASKS_TOPIC));
            ConsumerRecord<byte[], byte[]> request = null;
            Instant deadline = Instant.now().plusSeconds(30);
            while (request == null && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (id.equals(new String(r.key(), StandardCharsets.UTF_8))) {
                        request = r;
                    }
                }
            }
            assertTrue(request != null, "the service principal read the request");
            producer.initTransactions();
            producer.beginTransaction();
            String result = "{\"id\":\"" + id + "\",\"type\":\"echo\",\"status\":\"FAILED\",\"images\":[],"
                    + "\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"answered by the secured test\",\"stage\":\"run\"}}";
            producer.send(record(WireContract.PROGRESS_TOPIC, id, WireContract.TYPE_PROGRESS,
                    "{\"id\":\"" + id + "\",\"type\":\"echo\",\"stage\":\"synthesis\",\"step\":1,\"totalSteps\":1,"
                            + "\"fraction\":1.0}"));
            producer.send(new ProducerRecord<>(WireContract.DLQ_TOPIC, request.key(), request.value()));
            producer.send(record(WireContract.RESULTS_TOPIC, id, WireContract.TYPE_RESULT, result));
            producer.sendOffsetsToTransaction(Map.of(new TopicPartition(request.topic(), request.partition()),
                    new OffsetAndMetadata(request.offset() + 1)), consumer.groupMetadata());
            producer.commitTransaction();
            return request;
        }
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, String id, String ceType, String json) {
        RecordHeaders h = new RecordHeaders();
        h.add(WireContract.HEADER_SPEC_VERSION, WireContract.SPEC_VERSION.getBytes(StandardCharsets.UTF_8));
        h.add(WireContract.HEADER_ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        h.add(WireContract.HEADER_SOURCE, "/rsynth/secured-test".getBytes(StandardCharsets.UTF_8));
        h.add(WireContract.HEADER_TYPE, ceType.getBytes(StandardCharsets.UTF_8));
        h.add(WireContract.HEADER_SUBJECT, id.getBytes(StandardCharsets.UTF_8));
        h.add(WireContract.HEADER_CONTENT_TYPE, WireContract.CONTENT_TYPE_JSON.getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(topic, null, id.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8), h);
    }

    private static KafkaProducer<byte[], byte[]> producer(SecuredBroker.Principal principal) {
        Properties p = broker.clientConfig(principal);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        return new KafkaProducer<>(p);
    }

    @Test
    void aClientThatTriesToForgeAnOutcomeIsRefused() {
        try (KafkaProducer<byte[], byte[]> client = producer(SecuredBroker.CLIENT)) {
            for (String topic : List.of(WireContract.RESULTS_TOPIC, WireContract.PROGRESS_TOPIC,
                    WireContract.DLQ_TOPIC, "rsynth.attempts")) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> client.send(record(topic,
                        "forged", WireContract.TYPE_RESULT, "{\"id\":\"forged\",\"status\":\"SUCCEEDED\"}")).get());
                assertInstanceOf(TopicAuthorizationException.class, e.getCause(), topic);
            }
        }
    }

    @Test
    void theServiceCannotForgeRequestsAndTheClientCannotReadThem() throws Exception {
        try (KafkaProducer<byte[], byte[]> service = producer(SecuredBroker.SERVICE)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> service.send(record(
                    WireContract.TASKS_TOPIC, "forged", WireContract.TYPE_REQUEST, "{}")).get());
            assertInstanceOf(TopicAuthorizationException.class, e.getCause());
        }
        Properties c = broker.clientConfig(SecuredBroker.CLIENT);
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> client = new KafkaConsumer<>(c)) {
            client.assign(List.of(new TopicPartition(WireContract.TASKS_TOPIC, 0)));
            client.seekToBeginning(client.assignment());
            assertThrows(TopicAuthorizationException.class, () -> {
                for (int i = 0; i < 50; i++) {
                    client.poll(Duration.ofMillis(200));
                }
            });
        }
    }

    @Test
    void aWrongPasswordIsRefusedAtLogin() {
        try (KafkaProducer<byte[], byte[]> impostor = producer(new SecuredBroker.Principal("rsynth-service",
                "guessed"))) {
            Exception e = assertThrows(Exception.class, () -> impostor.send(record(
                    WireContract.RESULTS_TOPIC, "forged", WireContract.TYPE_RESULT, "{}")).get());
            Throwable cause = e;
            while (cause != null && !(cause instanceof SaslAuthenticationException)) {
                cause = cause.getCause();
            }
            assertInstanceOf(SaslAuthenticationException.class, cause, e::toString);
        }
    }
}
