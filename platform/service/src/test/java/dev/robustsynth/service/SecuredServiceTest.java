package dev.robustsynth.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.robustsynth.cli.ItemSource;
import dev.robustsynth.cli.JobRequest;
import dev.robustsynth.cli.JobState;
import dev.robustsynth.cli.JobStatus;
import dev.robustsynth.cli.JobStatusStream;
import dev.robustsynth.cli.ProgressEvent;
import dev.robustsynth.cli.RsynthClient;
import dev.robustsynth.cli.RsynthClientConfig;
import dev.robustsynth.cli.TaskOutcome;
import dev.robustsynth.cli.TaskStatus;
import dev.robustsynth.cli.TaskSubmission;
import dev.robustsynth.cli.WireContract;
import dev.robustsynth.service.kafka.DeadLetterHeaders;
import dev.robustsynth.service.testing.SecuredBroker;
import dev.robustsynth.service.testing.ServiceProcess;
import dev.robustsynth.service.testing.TestImages;
import dev.robustsynth.service.testing.TestModels;
import dev.robustsynth.service.testing.TopicRecorder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The packaged service on a SASL_SSL / SCRAM-SHA-512 broker that carries deploy/k8s/kafka's users, ACLs and topics
 * ({@link SecuredBroker}), configured for Kafka only the way a container is: {@code KAFKA_*} environment variables,
 * the password in a mounted secret file read by Kafka's {@code DirectoryConfigProvider}, the CA as a PEM file, and
 * the playground gateway's and the bulk jobs' own logins in files named by {@code RSYNTH_PLAYGROUND_KAFKA_CONFIG} and
 * {@code RSYNTH_JOBS_KAFKA_CONFIG}. No {@code kafka.*}
 * key reaches the process any other way. The service principal can neither write tasks nor create topics, so a
 * service that answers here used exactly the deployment's ACLs.
 */
class SecuredServiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path work;
    private static SecuredBroker broker;
    private static ServiceProcess service;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("rsynth-secured-service");
        broker = SecuredBroker.start(work.resolve("broker"));
        service = ServiceProcess.start(work.resolve("service.log"), settings(work), environment(broker, work),
                Duration.ofSeconds(120));
    }

    /** The service's own settings as system properties: ServiceProcess's, without any kafka.* key. */
    static Map<String, String> settings(Path work) {
        Map<String, String> settings = new HashMap<>(ServiceProcess.settings(work, null, "secured"));
        settings.keySet().removeIf(k -> k.startsWith("kafka."));
        return settings;
    }

    /**
     * The service's Kafka configuration as a container gets it: {@code KAFKA_*} variables, its password in
     * {@code secrets/kafka-sasl/password} named by a {@code DirectoryConfigProvider} reference, the playground's login
     * file {@code secrets/playground/kafka.properties} named by {@code RSYNTH_PLAYGROUND_KAFKA_CONFIG}, the bulk
     * jobs' login file {@code secrets/jobs/kafka.properties} named by {@code RSYNTH_JOBS_KAFKA_CONFIG}, and
     * {@code RSYNTH_KAFKA_CREATE_TOPICS=false} as in deploy/k8s; group timeouts shortened for the test.
     */
    static Map<String, String> environment(SecuredBroker broker, Path work) throws java.io.IOException {
        Path secrets = Files.createDirectories(work.resolve("secrets"));
        Path sasl = Files.createDirectories(secrets.resolve("kafka-sasl"));
        Files.writeString(sasl.resolve("password"), SecuredBroker.SERVICE.password());
        Path playground = Files.createDirectories(secrets.resolve("playground"));
        Path playgroundLogin = Files.writeString(playground.resolve("kafka.properties"),
                "kafka.sasl.jaas.config=" + SecuredBroker.PLAYGROUND.jaasConfig() + "\n");
        Path jobs = Files.createDirectories(secrets.resolve("jobs"));
        Path jobsLogin = Files.writeString(jobs.resolve("kafka.properties"),
                "kafka.sasl.jaas.config=" + SecuredBroker.JOBS.jaasConfig() + "\n");

        Map<String, String> environment = new HashMap<>();
        environment.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        environment.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        environment.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        environment.put("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
        environment.put("KAFKA_SSL_TRUSTSTORE_LOCATION", broker.caCertificate().toString());
        environment.put("KAFKA_CONFIG_PROVIDERS", "dir");
        environment.put("KAFKA_CONFIG_PROVIDERS_DIR_CLASS",
                "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        environment.put("KAFKA_CONFIG_PROVIDERS_DIR_PARAM_ALLOWED_PATHS", secrets.toString());
        environment.put("KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.scram.ScramLoginModule required "
                + "username=\"" + SecuredBroker.SERVICE.user() + "\" password=\"${dir:" + sasl + ":password}\";");
        environment.put("RSYNTH_PLAYGROUND_KAFKA_CONFIG", playgroundLogin.toString());
        environment.put("RSYNTH_JOBS_KAFKA_CONFIG", jobsLogin.toString());
        // the topics are the deployment's (topics.yaml); the service principal may not create topics
        environment.put("RSYNTH_KAFKA_CREATE_TOPICS", "false");
        environment.put("KAFKA_SESSION_TIMEOUT_MS", "6000");
        environment.put("KAFKA_HEARTBEAT_INTERVAL_MS", "500");
        return environment;
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static RsynthClient client(SecuredBroker.Principal principal) throws Exception {
        return new RsynthClient(RsynthClientConfig.builder(broker.bootstrapServers())
                .kafkaProperties(broker.clientProperties(principal)).listenFrom(Instant.now().minusSeconds(5)).build());
    }

    static TaskSubmission.Builder echo(String id, int steps, long delayMillis) {
        return TaskSubmission.builder("echo").id(id).model(TestModels.TINY_NAME)
                .image("image", TestImages.greyPng(28, 28)).param("steps", steps).param("delayMillis", delayMillis)
                .param("classify", false);
    }

    @Test
    void aClientPrincipalSubmitsATaskAndReadsItsSucceededResultAndProgress() throws Exception {
        String id = "secured-ok-" + UUID.randomUUID();
        List<ProgressEvent> progress = new ArrayList<>();
        try (RsynthClient client = client(SecuredBroker.CLIENT)) {
            TaskOutcome outcome = client.run(echo(id, 3, 0).build(), Duration.ofSeconds(90), progress::add);
            assertEquals(TaskStatus.SUCCEEDED, outcome.status(), outcome.toString());
            assertEquals(1, outcome.images().size(), outcome.toString());
        }
        assertFalse(progress.isEmpty(), "progress reached the client");
        assertFalse(service.log().contains("Not authorized"), "no client of the service was refused:\n"
                + service.tail());
    }

    /** The letter is read as rsynth-operator, the one principal that may read the DLQ. */
    @Test
    void aMalformedRecordGetsItsErrorAndLandsOnTheDlqWhereTheOperatorReadsIt() throws Exception {
        String id = "secured-bad-" + UUID.randomUUID();
        try (RsynthClient client = client(SecuredBroker.CLIENT);
             TopicRecorder dlq = new TopicRecorder(broker.clientConfig(SecuredBroker.OPERATOR), WireContract.DLQ_TOPIC);
             KafkaProducer<byte[], byte[]> producer = producer(SecuredBroker.CLIENT)) {
            client.watch(id);
            producer.send(new ProducerRecord<>(WireContract.TASKS_TOPIC, id.getBytes(StandardCharsets.UTF_8),
                    "hello {".getBytes(StandardCharsets.UTF_8))).get();
            TaskOutcome outcome = client.awaitResult(id, Duration.ofSeconds(60), p -> { });
            assertEquals(TaskStatus.FAILED, outcome.status());
            assertEquals("NOT_JSON", outcome.error().orElseThrow().code());
            ConsumerRecord<byte[], byte[]> letter = dlq.await(id, Duration.ofSeconds(30));
            assertEquals("hello {", new String(letter.value(), StandardCharsets.UTF_8));
            assertEquals("NOT_JSON", TopicRecorder.header(letter, DeadLetterHeaders.CODE));
        }
    }

    @Test
    void aCancelFromTheClientReachesTheServiceOverTheControlTopic() throws Exception {
        String id = "secured-cancel-" + UUID.randomUUID();
        try (RsynthClient client = client(SecuredBroker.CLIENT)) {
            client.submit(echo(id, 200, 250).build());
            Instant until = Instant.now().plusSeconds(60);
            List<ProgressEvent> progress = new ArrayList<>();
            while (progress.isEmpty() && Instant.now().isBefore(until)) {
                try {
                    client.awaitResult(id, Duration.ofMillis(500), progress::add);
                } catch (dev.robustsynth.cli.TaskTimeoutException running) {
                    // still running: what we wait for is its first progress event
                }
            }
            assertFalse(progress.isEmpty(), "the task started");
            client.cancel(id);
            TaskOutcome outcome = client.awaitResult(id, Duration.ofSeconds(30), p -> { });
            assertEquals(TaskStatus.CANCELLED, outcome.status(), outcome.toString());
        }
    }

    @Test
    void neitherAClientNorThePlaygroundMayWriteAnOutcomeOrAJobStatus() {
        for (SecuredBroker.Principal principal : List.of(SecuredBroker.CLIENT, SecuredBroker.PLAYGROUND)) {
            try (KafkaProducer<byte[], byte[]> forger = producer(principal)) {
                for (String topic : List.of(WireContract.RESULTS_TOPIC, WireContract.PROGRESS_TOPIC,
                        WireContract.DLQ_TOPIC, WireContract.JOB_STATUS_TOPIC)) {
                    ExecutionException e = assertThrows(ExecutionException.class, () -> forger.send(
                            new ProducerRecord<>(topic, "forged".getBytes(StandardCharsets.UTF_8),
                                    "{\"id\":\"forged\",\"status\":\"SUCCEEDED\"}".getBytes(StandardCharsets.UTF_8)))
                            .get());
                    assertInstanceOf(TopicAuthorizationException.class, e.getCause(), principal.user() + " " + topic);
                }
            }
        }
    }

    /**
     * The jobs' Kafka Streams log in as rsynth-jobs: on the deployment's ACLs the splitter publishes the items, the
     * service answers them, and the counted status reaches SUCCEEDED with every item.
     */
    @Test
    void aClientPrincipalSubmitsABulkJobThatTheJobsLoginSplitsAndTracksToSucceeded() throws Exception {
        String id = "secured-job-" + UUID.randomUUID();
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.putObject("image").put("data", Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28)));
        params.put("classify", false);
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            items.add(JsonNodeFactory.instance.objectNode().put("steps", 1 + i % 2));
        }
        JobRequest job = new JobRequest(id, "echo", Optional.of(TestModels.TINY_NAME), params,
                OptionalLong.of(7), OptionalInt.empty(), OptionalInt.of(4), new ItemSource.ItemList(items));
        try (RsynthClient client = client(SecuredBroker.CLIENT); JobStatusStream statuses = client.jobStatuses()) {
            statuses.latest(id);
            client.submitJob(job);
            JobStatus last = statuses.await(id, Optional.empty(), Duration.ofSeconds(60),
                    Duration.ofSeconds(120), s -> { }).orElseThrow(() -> new AssertionError(
                            "no status of " + id + "\n" + service.tail()));
            assertEquals(JobState.SUCCEEDED, last.state(), last.json() + "\n" + service.tail());
            assertEquals(6, last.total());
            assertEquals(6, last.succeeded());
        }
        assertFalse(service.log().contains("Not authorized"), "no client of the service was refused:\n"
                + service.tail());
    }

    /**
     * The gateway publishes with its own login: the service principal may not write rsynth.tasks, so a page task that
     * runs was published as rsynth-playground.
     */
    @Test
    void thePlaygroundPublishesAsItsOwnPrincipalAndStreamsTheOutcome() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://localhost:" + service.httpPort() + "/api/v1/playground/tasks";
        String body = "{\"type\":\"echo\",\"model\":\"" + TestModels.TINY_NAME + "\",\"params\":{\"image\":{\"data\":\""
                + Base64.getEncoder().encodeToString(TestImages.greyPng(28, 28)) + "\"},\"steps\":2,"
                + "\"classify\":false}}";
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base))
                .header("X-Rsynth-Playground", "1").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        String id = JSON.readTree(accepted.body()).path("id").asString();
        HttpResponse<String> events = http.send(HttpRequest.newBuilder(URI.create(base + "/" + id + "/events"))
                .timeout(Duration.ofSeconds(90)).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode last = null;
        for (String line : events.body().split("\n")) {
            if (line.startsWith("data:")) {
                last = JSON.readTree(line.substring("data:".length()));
            }
        }
        assertTrue(last != null, events.body());
        assertEquals("SUCCEEDED", last.path("status").asString(), events.body());
    }

    private static KafkaProducer<byte[], byte[]> producer(SecuredBroker.Principal principal) {
        Properties p = broker.clientConfig(principal);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        return new KafkaProducer<>(p);
    }
}
