package dev.robustsynth.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Renders kustomizations with {@code kubectl kustomize} and validates the objects: Kubernetes' own kinds by strict
 * deserialisation into the fabric8 model (a field the model does not know, anywhere in the tree, is an error), the
 * Strimzi and KEDA kinds against the JSON Schemas of their CRDs in {@code crd-schemas/}. A kind neither knows is an
 * error too.
 */
final class Manifests {
    static final Path REPO = Path.of("../..").toAbsolutePath().normalize();
    static final Path K8S = REPO.resolve("deploy/k8s");

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Map<String, Class<?>> TYPED = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);
    private static final List<String> CRDS = List.of("kafka.strimzi.io/v1beta2/KafkaTopic",
            "kafka.strimzi.io/v1beta2/KafkaUser", "keda.sh/v1alpha1/ScaledObject",
            "keda.sh/v1alpha1/TriggerAuthentication");

    private Manifests() {
    }

    /** {@code kubectl kustomize dir}, split into its objects. */
    static List<JsonNode> render(Path dir) {
        try {
            Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError("kubectl kustomize " + dir + " failed: " + err);
            }
            return parse(new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("kubectl (its built-in kustomize renders the manifests) is needed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static List<JsonNode> parse(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = new YAMLFactory().createParser(yaml)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    static String id(JsonNode doc) {
        return doc.path("apiVersion").asText() + "/" + doc.path("kind").asText();
    }

    static String name(JsonNode doc) {
        return id(doc) + " " + doc.path("metadata").path("name").asText();
    }

    /** Every problem of every object, each prefixed with the object's kind and name; empty when all are valid. */
    static List<String> problems(List<JsonNode> docs) {
        List<String> problems = new ArrayList<>();
        for (JsonNode doc : docs) {
            problems.addAll(problems(doc).stream().map(p -> name(doc) + ": " + p).toList());
        }
        return problems;
    }

    static List<String> problems(JsonNode doc) {
        String id = id(doc);
        Class<?> type = TYPED.get(id);
        if (type != null) {
            return strict(doc, type);
        }
        if (CRDS.contains(id)) {
            Schema schema = schema(id.replace('/', '_') + ".json");
            return schema.validate(doc.toString(), InputFormat.JSON).stream().map(Error::toString).toList();
        }
        return List.of("no schema for kind " + id);
    }

    static <T> T typed(JsonNode doc, Class<T> type) {
        try {
            return JSON.treeToValue(doc, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> strict(JsonNode doc, Class<?> type) {
        Object value;
        try {
            value = JSON.treeToValue(doc, type);
        } catch (IOException e) {
            return List.of("does not deserialise into " + type.getSimpleName() + ": " + e.getMessage());
        }
        List<String> unknown = new ArrayList<>();
        walk(value, "", unknown);
        return unknown;
    }

    /** fabric8 models keep fields they do not know in additionalProperties: any there is an unknown field. */
    private static void walk(Object value, String path, List<String> unknown) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                walk(o, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, unknown));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = getter.getName();
            if (name.equals("getAdditionalProperties")) {
                Map<?, ?> extra = (Map<?, ?>) invoke(getter, value);
                if (extra != null) {
                    extra.keySet().forEach(k -> unknown.add("unknown field " + (path.isEmpty() ? "" : path + ".") + k));
                }
            } else if (name.startsWith("get") && name.length() > 3) {
                String field = Character.toLowerCase(name.charAt(3)) + name.substring(4);
                walk(invoke(getter, value), path.isEmpty() ? field : path + "." + field, unknown);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }

    private static Schema schema(String file) {
        try (InputStream in = Manifests.class.getResourceAsStream("/crd-schemas/" + file)) {
            if (in == null) {
                throw new IllegalStateException("no schema crd-schemas/" + file);
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
