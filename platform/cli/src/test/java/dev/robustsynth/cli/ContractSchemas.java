package dev.robustsynth.cli;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The normative JSON Schemas of the wire contract, read from the repository's {@code schemas/}
 * directory ({@code $id}s under {@code https://robustsynth.dev/schemas/} resolve to local files). While that
 * directory has no bulk-job schemas (branch {@code jobs} not merged yet), the copies in the test resources'
 * {@code pending-schemas/} stand in for the files they hold (see its README).
 */
public final class ContractSchemas {
    private static final String BASE = "https://robustsynth.dev/schemas/";

    private final Path dir;
    private final SchemaRegistry registry;

    private ContractSchemas(Path dir) {
        this.dir = dir;
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(id -> id.startsWith(BASE) ? read(file(id.substring(BASE.length()))) : null));
    }

    /** A schema or example file ("job.v1.schema.json", "examples/job.list.json"), from pending-schemas/ while needed. */
    public Path file(String name) {
        Path pending = pendingDir();
        if (pending != null && !Files.isRegularFile(dir.resolve("job.v1.schema.json"))
                && Files.isRegularFile(pending.resolve(name))) {
            return pending.resolve(name);
        }
        return dir.resolve(name);
    }

    private static Path pendingDir() {
        java.net.URL url = ContractSchemas.class.getResource("/pending-schemas/README.md");
        if (url == null || !"file".equals(url.getProtocol())) {
            return null;
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** The repository's schemas, when this module runs inside a checkout that has them. */
    public static Optional<ContractSchemas> find() {
        Path dir = Path.of("../../schemas").toAbsolutePath().normalize();
        return Files.isRegularFile(dir.resolve("request.v1.schema.json")) ? Optional.of(new ContractSchemas(dir))
                : Optional.empty();
    }

    public Path dir() {
        return dir;
    }

    /** The violations of {@code json} against {@code file} (e.g. "request.v1.schema.json", "tasks/echo.v1.schema.json"). */
    public List<String> violations(String file, String json) {
        Schema schema = registry.getSchema(SchemaLocation.of(BASE + file));
        return schema.validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
    }

    public boolean hasSchema(String file) {
        return Files.isRegularFile(file(file));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
