package dev.robustsynth.service.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Strimzi resources of {@code deploy/k8s/kafka} as Kafka's own types, so that a test broker carries exactly the
 * deployment's principals, ACLs and topics: {@code users.yaml}'s {@code KafkaUser}s (simple authorization) become
 * {@link AclBinding}s with Strimzi's defaults (host {@code *}, type {@code allow}), {@code topics.yaml}'s
 * {@code KafkaTopic}s their names, partitions and configurations.
 */
public final class StrimziKafka {
    /** deploy/k8s/kafka, seen from the module directory the tests run in. */
    public static final Path DIR = Path.of("../../deploy/k8s/kafka").toAbsolutePath().normalize();

    /** A {@code KafkaUser}: its name (the SCRAM user) and its ACLs, one binding per operation. */
    public record User(String name, List<AclBinding> acls) {
        public User {
            acls = List.copyOf(acls);
        }
    }

    /** A {@code KafkaTopic}: name, partitions and topic configuration as written. */
    public record Topic(String name, int partitions, Map<String, String> config) {
        public Topic {
            config = Map.copyOf(config);
        }
    }

    private StrimziKafka() {
    }

    /** The users of {@code users.yaml}, in file order. */
    public static List<User> users() {
        List<User> users = new ArrayList<>();
        for (JsonNode doc : documents(DIR.resolve("users.yaml"), "KafkaUser")) {
            String user = doc.at("/metadata/name").asText();
            List<AclBinding> acls = new ArrayList<>();
            for (JsonNode acl : doc.at("/spec/authorization/acls")) {
                JsonNode r = acl.path("resource");
                ResourceType type = resourceType(r.path("type").asText());
                String name = type == ResourceType.CLUSTER ? "kafka-cluster" : r.path("name").asText();
                PatternType pattern = "prefix".equals(r.path("patternType").asText("literal")) ? PatternType.PREFIXED
                        : PatternType.LITERAL;
                AclPermissionType permission = "deny".equals(acl.path("type").asText("allow"))
                        ? AclPermissionType.DENY : AclPermissionType.ALLOW;
                List<String> operations = new ArrayList<>();
                acl.path("operations").forEach(o -> operations.add(o.asText()));
                if (acl.has("operation")) {
                    operations.add(acl.path("operation").asText());
                }
                for (String operation : operations) {
                    acls.add(new AclBinding(new ResourcePattern(type, name, pattern), new AccessControlEntry(
                            "User:" + user, acl.path("host").asText("*"), operation(operation), permission)));
                }
            }
            users.add(new User(user, acls));
        }
        return users;
    }

    /** The topics of {@code topics.yaml}, in file order. */
    public static List<Topic> topics() {
        List<Topic> topics = new ArrayList<>();
        for (JsonNode doc : documents(DIR.resolve("topics.yaml"), "KafkaTopic")) {
            Map<String, String> config = new LinkedHashMap<>();
            doc.at("/spec/config").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
            topics.add(new Topic(doc.at("/spec/topicName").asText(doc.at("/metadata/name").asText()),
                    doc.at("/spec/partitions").asInt(1), config));
        }
        return topics;
    }

    private static List<JsonNode> documents(Path file, String kind) {
        List<JsonNode> docs = new ArrayList<>();
        YAMLMapper yaml = new YAMLMapper();
        try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && kind.equals(doc.path("kind").asText())) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return docs;
    }

    /** Strimzi's resource types: topic, group, transactionalId, cluster. */
    private static ResourceType resourceType(String strimzi) {
        return switch (strimzi) {
            case "topic" -> ResourceType.TOPIC;
            case "group" -> ResourceType.GROUP;
            case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
            case "cluster" -> ResourceType.CLUSTER;
            default -> throw new IllegalArgumentException("unknown Strimzi ACL resource type " + strimzi);
        };
    }

    /** Strimzi writes operations in camel case ({@code IdempotentWrite}), Kafka's enum in upper snake case. */
    private static AclOperation operation(String strimzi) {
        AclOperation op = AclOperation.valueOf(strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
        if (op == AclOperation.ANY || op == AclOperation.UNKNOWN) {
            throw new IllegalArgumentException("not an ACL operation: " + strimzi);
        }
        return op;
    }
}
