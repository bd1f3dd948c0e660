package dev.robustsynth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The task types a deployment offers, with their parameters: asked of a running service's HTTP API
 * ({@code GET /api/v1/tasks}, then {@code GET /api/v1/tasks/<type>/schema} per type), or read from task schema
 * files ({@code <dir>/<type>.v1.schema.json}), which list what this checkout ships, not what a service serves.
 */
public final class TaskCatalog {
    /** Connect and response timeout of each HTTP call. */
    public static final Duration HTTP_TIMEOUT = Duration.ofSeconds(5);
    private static final String SCHEMA_SUFFIX = ".v1.schema.json";

    /** One task type; {@code servedBy} (plugin, version, where it was loaded from) is known only from a service. */
    public record TaskType(String type, String title, List<String> parameters, Set<String> required,
                           Optional<String> servedBy) {
        public TaskType {
            parameters = List.copyOf(parameters);
            required = Set.copyOf(required);
        }
    }

    private TaskCatalog() {
    }

    /** The types the service at {@code base} serves, in its order; IOException when it does not answer with them. */
    public static List<TaskType> fromService(URI base) throws IOException {
        String root = base.toString().replaceAll("/+$", "") + "/api/v1/tasks";
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build()) {
            JsonNode views = WireFormat.mapper().readTree(get(http, root));
            if (!views.isArray()) {
                throw new IOException("GET " + root + " did not answer with a JSON array");
            }
            List<TaskType> types = new ArrayList<>();
            for (JsonNode view : views) {
                String type = view.path("type").asText();
                JsonNode schema = WireFormat.mapper().readTree(
                        get(http, root + "/" + URLEncoder.encode(type, StandardCharsets.UTF_8) + "/schema"));
                String servedBy = view.path("plugin").asText("?") + " " + view.path("version").asText("?")
                        + " (" + view.path("source").asText("?") + ")";
                types.add(of(type, view.path("title").asText(""), schema, Optional.of(servedBy)));
            }
            return types;
        }
    }

    /** The types whose schemas lie in {@code dir}, sorted by type; empty when there are none. */
    public static List<TaskType> fromSchemas(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(SCHEMA_SUFFIX)).sorted().toList();
        }
        List<TaskType> types = new ArrayList<>();
        for (Path f : files) {
            JsonNode schema = WireFormat.mapper().readTree(f.toFile());
            String type = f.getFileName().toString().replace(SCHEMA_SUFFIX, "");
            types.add(of(type, schema.path("title").asText(schema.path("description").asText("")), schema,
                    Optional.empty()));
        }
        return types;
    }

    private static TaskType of(String type, String title, JsonNode schema, Optional<String> servedBy) {
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        List<String> parameters = new ArrayList<>();
        schema.path("properties").properties().forEach(e -> parameters.add(e.getKey()));
        return new TaskType(type, title, parameters, required, servedBy);
    }

    private static String get(HttpClient http, String url) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(HTTP_TIMEOUT)
                .header("Accept", "application/json").GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while asking " + url);
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }
}
