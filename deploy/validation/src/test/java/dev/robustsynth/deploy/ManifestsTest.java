package dev.robustsynth.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** deploy/k8s as kustomize renders it: valid objects, and the settings that make them a secured deployment. */
class ManifestsTest {
    private static final List<String> SERVICE_TOPICS = List.of("rsynth.tasks", "rsynth.results", "rsynth.progress",
            "rsynth.control", "rsynth.tasks.dlq", "rsynth.attempts", "rsynth.jobs", "rsynth.jobs.status");
    private static final Set<String> GPU_KEYS = Set.of("rsynth.kafka.group-id", "rsynth.execution-provider",
            "rsynth.max-batch", "rsynth.worker-threads", "rsynth.queue-capacity");

    private static final List<JsonNode> cpu = Manifests.render(Manifests.K8S);
    private static final List<JsonNode> gpu = Manifests.render(Manifests.K8S.resolve("gpu"));
    private static final List<JsonNode> kafka = Manifests.render(Manifests.K8S.resolve("kafka"));

    private static List<JsonNode> ofKind(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    private static JsonNode one(List<JsonNode> docs, String kind, String name) {
        List<JsonNode> found = ofKind(docs, kind).stream()
                .filter(d -> d.path("metadata").path("name").asText().equals(name)).toList();
        assertEquals(1, found.size(), kind + " " + name);
        return found.get(0);
    }

    private static Properties properties(List<JsonNode> docs) throws IOException {
        ConfigMap map = Manifests.typed(one(docs, "ConfigMap", "rsynth-service"), ConfigMap.class);
        Properties p = new Properties();
        p.load(new StringReader(map.getData().get("application.properties")));
        return p;
    }

    @Test
    void everyObjectOfTheCpuGpuAndKafkaKustomizationsIsValid() {
        for (List<JsonNode> docs : List.of(cpu, gpu, kafka)) {
            assertEquals(List.of(), Manifests.problems(docs));
        }
        assertEquals(new TreeSet<>(List.of("ConfigMap", "Deployment", "Namespace", "PodDisruptionBudget", "Secret",
                        "Service", "ScaledObject", "TriggerAuthentication")),
                cpu.stream().map(d -> d.path("kind").asText()).collect(Collectors.toCollection(TreeSet::new)));
        assertEquals(Set.of("KafkaTopic", "KafkaUser"),
                kafka.stream().map(d -> d.path("kind").asText()).collect(Collectors.toSet()));
    }

    @Test
    void theValidatorsRejectMisspeltMistypedAndUnknownObjects() {
        ObjectNode deployment = one(cpu, "Deployment", "rsynth-service").deepCopy();
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("imagePullPolcy", "Always");
        ((ObjectNode) deployment.at("/spec/template/spec/volumes/0")).putObject("secrett").put("secretName", "x");
        assertEquals(List.of("unknown field spec.template.spec.containers[0].imagePullPolcy",
                "unknown field spec.template.spec.volumes[0].secrett"), sorted(Manifests.problems(deployment)));

        ObjectNode topic = ofKind(kafka, "KafkaTopic").get(0).deepCopy();
        ((ObjectNode) topic.get("spec")).put("replica", 3);
        assertFalse(Manifests.problems(topic).isEmpty(), "a misspelt KafkaTopic field");

        ObjectNode scaled = one(cpu, "ScaledObject", "rsynth-service").deepCopy();
        ((ObjectNode) scaled.at("/spec/triggers/0/metadata")).put("lagThreshold", 8);
        assertFalse(Manifests.problems(scaled).isEmpty(), "KEDA trigger metadata must be strings");

        ObjectNode user = ofKind(kafka, "KafkaUser").get(0).deepCopy();
        ((ObjectNode) user.at("/spec/authorization/acls/0")).putArray("operations").add("Writ");
        assertFalse(Manifests.problems(user).isEmpty(), "an unknown ACL operation");

        ObjectNode unknown = topic.deepCopy().put("kind", "KafkaTopics");
        assertEquals(List.of("no schema for kind kafka.strimzi.io/v1beta2/KafkaTopics"), Manifests.problems(unknown));
    }

    @Test
    void everyServiceTopicIsAKafkaTopicWithReplication3AndMinInsync2() {
        Map<String, JsonNode> byTopic = new TreeMap<>();
        for (JsonNode t : ofKind(kafka, "KafkaTopic")) {
            byTopic.put(t.at("/spec/topicName").asText(), t);
            assertEquals(3, t.at("/spec/replicas").asInt(), t.toString());
            assertEquals("2", t.at("/spec/config/min.insync.replicas").asText(), t.toString());
            assertEquals("rsynth-kafka", t.at("/metadata/labels/strimzi.io~1cluster").asText());
            assertEquals("kafka", t.at("/metadata/namespace").asText());
        }
        assertEquals(new TreeSet<>(SERVICE_TOPICS), byTopic.keySet());
        assertEquals("compact", byTopic.get("rsynth.attempts").at("/spec/config/cleanup.policy").asText());
        assertEquals("compact", byTopic.get("rsynth.jobs.status").at("/spec/config/cleanup.policy").asText());
    }

    @Test
    void kedaScalesTheServiceOnItsOwnGroupsLagOnTheTasksTopic() throws IOException {
        for (List<JsonNode> docs : List.of(cpu, gpu)) {
            JsonNode scaled = one(docs, "ScaledObject", "rsynth-service");
            JsonNode trigger = scaled.at("/spec/triggers/0");
            assertEquals("kafka", trigger.path("type").asText());
            Properties props = properties(docs);
            assertEquals(props.getProperty("rsynth.kafka.group-id"), trigger.at("/metadata/consumerGroup").asText());
            assertEquals("rsynth.tasks", trigger.at("/metadata/topic").asText());
            assertEquals(props.getProperty("kafka.bootstrap.servers"), trigger.at("/metadata/bootstrapServers").asText());
            assertEquals("rsynth-service", scaled.at("/spec/scaleTargetRef/name").asText());
            one(docs, "Deployment", "rsynth-service");
            assertTrue(scaled.at("/spec/maxReplicaCount").asInt() <= 12, "no more replicas than task partitions");
            assertTrue(one(docs, "Deployment", "rsynth-service").at("/spec/replicas").isMissingNode(),
                    "KEDA owns the replica count");
            JsonNode auth = one(docs, "TriggerAuthentication", trigger.at("/authenticationRef/name").asText());
            for (JsonNode ref : auth.at("/spec/secretTargetRef")) {
                Secret secret = Manifests.typed(one(docs, "Secret", ref.path("name").asText()), Secret.class);
                assertTrue(secret.getStringData().containsKey(ref.path("key").asText()), ref.toString());
            }
        }
        assertEquals("rsynth-service", one(cpu, "ScaledObject", "rsynth-service")
                .at("/spec/triggers/0/metadata/consumerGroup").asText());
    }

    @Test
    void kafkaSecretsReachThePodAsMountedFilesNeverAsEnvironmentLiterals() throws IOException {
        for (List<JsonNode> docs : List.of(cpu, gpu)) {
            Deployment deployment = Manifests.typed(one(docs, "Deployment", "rsynth-service"), Deployment.class);
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            Map<String, String> mountBySecretOrMap = new HashMap<>();
            Map<String, Volume> volumes = deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                    .collect(Collectors.toMap(Volume::getName, v -> v));
            for (VolumeMount m : container.getVolumeMounts()) {
                Volume v = volumes.get(m.getName());
                if (v.getSecret() != null) {
                    mountBySecretOrMap.put("secret/" + v.getSecret().getSecretName(), m.getMountPath());
                    assertTrue(m.getReadOnly(), m.toString());
                } else if (v.getConfigMap() != null) {
                    mountBySecretOrMap.put("configmap/" + v.getConfigMap().getName(), m.getMountPath());
                }
            }
            for (EnvVar env : container.getEnv()) {
                assertTrue(env.getValueFrom() == null || env.getValueFrom().getSecretKeyRef() == null, env.toString());
                String value = String.valueOf(env.getValue()).toLowerCase();
                assertFalse(value.contains("password") || value.contains("jaas"), env.toString());
            }
            Map<String, String> env = container.getEnv().stream().filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
            assertMountedKey(docs, "Secret", "rsynth-kafka-scram", mountBySecretOrMap.get("secret/rsynth-kafka-scram"),
                    env.get("QUARKUS_CONFIG_LOCATIONS"));
            Properties login = new Properties();
            login.load(new StringReader(Manifests.typed(one(docs, "Secret", "rsynth-kafka-scram"), Secret.class)
                    .getStringData().get("kafka-sasl.properties")));
            assertTrue(login.getProperty("kafka.sasl.jaas.config").startsWith(
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"rsynth-service\""));

            Properties props = properties(docs);
            assertEquals("SASL_SSL", props.getProperty("kafka.security.protocol"));
            assertEquals("SCRAM-SHA-512", props.getProperty("kafka.sasl.mechanism"));
            assertEquals("PEM", props.getProperty("kafka.ssl.truststore.type"));
            assertFalse(props.containsKey("kafka.sasl.jaas.config"), "the login stays in the Secret");
            assertMountedKey(docs, "Secret", "rsynth-kafka-truststore",
                    mountBySecretOrMap.get("secret/rsynth-kafka-truststore"),
                    props.getProperty("kafka.ssl.truststore.location"));
            for (Map.Entry<String, String> own : Map.of("rsynth.playground.kafka-config", "rsynth-playground",
                    "rsynth.jobs.kafka-config", "rsynth-jobs").entrySet()) {
                String file = props.getProperty(own.getKey());
                assertMountedKey(docs, "Secret", "rsynth-kafka-scram",
                        mountBySecretOrMap.get("secret/rsynth-kafka-scram"), file);
                Properties ownLogin = new Properties();
                ownLogin.load(new StringReader(Manifests.typed(one(docs, "Secret", "rsynth-kafka-scram"),
                        Secret.class).getStringData().get(Path.of(file).getFileName().toString())));
                assertEquals(Set.of("kafka.sasl.jaas.config"), ownLogin.stringPropertyNames(), own.getKey());
                assertTrue(ownLogin.getProperty("kafka.sasl.jaas.config").startsWith(
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                                + own.getValue() + "\""), own.getKey());
            }
            assertMountedKey(docs, "ConfigMap", "rsynth-plugins-allowlist",
                    mountBySecretOrMap.get("configmap/rsynth-plugins-allowlist"),
                    props.getProperty("rsynth.plugins-allowlist"));
            assertEquals("false", props.getProperty("rsynth.kafka.create-topics"), "topics are Strimzi's");
        }
    }

    private static void assertMountedKey(List<JsonNode> docs, String kind, String name, String mountPath, String file) {
        assertTrue(mountPath != null, kind + " " + name + " is mounted");
        assertTrue(file != null && file.startsWith(mountPath + "/"), file + " lies under " + mountPath);
        String key = file.substring(mountPath.length() + 1);
        JsonNode doc = one(docs, kind, name);
        boolean present = kind.equals("Secret") ? doc.path("stringData").has(key) || doc.path("data").has(key)
                : doc.path("data").has(key);
        assertTrue(present, kind + " " + name + " has key " + key);
    }

    @Test
    void theGpuOverlaysPropertiesDifferFromTheBaseOnlyInTheGpuKeys() throws IOException {
        Properties base = properties(cpu);
        Properties overlay = properties(gpu);
        Set<String> keys = new HashSet<>(base.stringPropertyNames());
        keys.addAll(overlay.stringPropertyNames());
        Set<String> differing = keys.stream().filter(k -> !String.valueOf(base.getProperty(k))
                .equals(String.valueOf(overlay.getProperty(k)))).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(GPU_KEYS), differing);
        assertEquals("cuda", overlay.getProperty("rsynth.execution-provider"));
        Deployment deployment = Manifests.typed(one(gpu, "Deployment", "rsynth-service"), Deployment.class);
        assertEquals("1", deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getResources()
                .getLimits().get("nvidia.com/gpu").toString());
    }

    /**
     * The principals' ACLs, exactly (platform/service's SecuredServiceTest runs the service on a broker provisioned from
     * this file, and ServiceAclMinimalityTest shows the service breaks without any one of its own). Describe is
     * implied by Read and Write, so it is listed only for KEDA.
     */
    @Test
    void eachPrincipalHasExactlyItsAclsAndOnlyTheServiceMayWriteOutcomes() {
        Map<String, Set<String>> submitter = Map.of(
                "topic:rsynth.tasks", Set.of("Write"), "topic:rsynth.control", Set.of("Write"),
                "topic:rsynth.results", Set.of("Read"), "topic:rsynth.progress", Set.of("Read"));
        Map<String, Set<String>> client = new HashMap<>(submitter);
        client.put("topic:rsynth.jobs", Set.of("Write"));
        client.put("topic:rsynth.jobs.status", Set.of("Read"));
        assertEquals(client, acls(one(kafka, "KafkaUser", "rsynth-client")));
        assertEquals(submitter, acls(one(kafka, "KafkaUser", "rsynth-playground")));
        assertEquals(Map.of(
                "topic:rsynth.tasks", Set.of("Read"), "topic:rsynth.control", Set.of("Read"),
                "topic:rsynth.results", Set.of("Write", "Read"), "topic:rsynth.progress", Set.of("Write"),
                "topic:rsynth.tasks.dlq", Set.of("Write"), "topic:rsynth.attempts", Set.of("Write", "Read"),
                "group:rsynth-service*", Set.of("Read"), "transactionalId:rsynth-rsynth-service*", Set.of("Write")),
                acls(one(kafka, "KafkaUser", "rsynth-service")));
        assertEquals(Map.of(
                "topic:rsynth.jobs", Set.of("Read"), "topic:rsynth.results", Set.of("Read"),
                "topic:rsynth.control", Set.of("Read", "Write"), "topic:rsynth.tasks", Set.of("Write"),
                "topic:rsynth.jobs.status", Set.of("Read", "Write"), "topic:rsynth.tasks.dlq", Set.of("Write"),
                "topic:rsynth-jobs-rsynth-service*", Set.of("Create", "Read", "Write", "DescribeConfigs"),
                "group:rsynth-jobs-rsynth-service*", Set.of("Read"),
                "transactionalId:rsynth-jobs-rsynth-service*", Set.of("Write")),
                acls(one(kafka, "KafkaUser", "rsynth-jobs")));
        assertEquals(Map.of("topic:rsynth.tasks", Set.of("Describe"), "group:rsynth-service*", Set.of("Describe")),
                acls(one(kafka, "KafkaUser", "rsynth-keda")));
        assertEquals(Map.of("topic:rsynth.tasks.dlq", Set.of("Read")),
                acls(one(kafka, "KafkaUser", "rsynth-operator")));
        Set<String> serviceSide = Set.of("rsynth-service", "rsynth-jobs");
        for (JsonNode user : ofKind(kafka, "KafkaUser")) {
            assertEquals("scram-sha-512", user.at("/spec/authentication/type").asText());
            if (!serviceSide.contains(user.at("/metadata/name").asText())) {
                for (String outcome : List.of("topic:rsynth.results", "topic:rsynth.progress",
                        "topic:rsynth.tasks.dlq", "topic:rsynth.attempts", "topic:rsynth.jobs.status")) {
                    assertFalse(acls(user).getOrDefault(outcome, Set.of()).contains("Write"), user + " " + outcome);
                }
            }
        }
    }

    private static Map<String, Set<String>> acls(JsonNode user) {
        Map<String, Set<String>> byResource = new HashMap<>();
        for (JsonNode acl : user.at("/spec/authorization/acls")) {
            JsonNode r = acl.path("resource");
            String key = r.path("type").asText() + ":" + r.path("name").asText()
                    + ("prefix".equals(r.path("patternType").asText()) ? "*" : "");
            byResource.computeIfAbsent(key, k -> new HashSet<>()).addAll(StreamSupport
                    .stream(acl.path("operations").spliterator(), false).map(JsonNode::asText).toList());
        }
        return byResource;
    }

    private static List<String> sorted(List<String> list) {
        return list.stream().sorted().toList();
    }
}
