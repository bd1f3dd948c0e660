package dev.robustsynth.engine.model;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Compiled graphs on disk, keyed by the model's ONNX sha256, the compiler's version and the exposed layers:
 * {@code <dir>/<sha256>-<hash of version and layers>/{synthesis,forward}.onnx}, {@code exposed.txt} (the layers the
 * compiler exposed) and {@code key.txt} with the full key, written last. Files are written to a temporary name and moved into place, so a crash never leaves half a graph behind
 * and two processes that compile the same model at once both end with a whole one. A cache entry that cannot be
 * read is ignored and recompiled.
 */
public final class GraphCache {
    private static final Logger LOG = Logger.getLogger(GraphCache.class.getName());

    private final Path dir;

    public GraphCache(Path dir) {
        this.dir = requireNonNull(dir, "dir is null");
    }

    public Path dir() {
        return dir;
    }

    /** Bumped when the entry layout changes, so older entries are simply not found. */
    static final int LAYOUT = 2;

    static String key(String sha256, String compilerVersion, List<String> layers) {
        return "layout=" + LAYOUT + "\nsha256=" + sha256 + "\ncompiler=" + compilerVersion + "\nlayers="
                + String.join(",", layers) + "\n";
    }

    Path entry(String sha256, String compilerVersion, List<String> layers) {
        String key = key(sha256, compilerVersion, layers);
        String suffix = Checksums.sha256(key.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        return dir.resolve(sha256 + "-" + suffix);
    }

    /** The cached graphs, if a whole entry with exactly this key exists. */
    public Optional<CompiledGraphs> load(String sha256, String compilerVersion, List<String> layers) {
        Path entry = entry(sha256, compilerVersion, layers);
        try {
            Path keyFile = entry.resolve("key.txt");
            if (!Files.isRegularFile(keyFile)
                    || !Files.readString(keyFile).equals(key(sha256, compilerVersion, layers))) {
                return Optional.empty();
            }
            String exposed = Files.readString(entry.resolve("exposed.txt")).strip();
            return Optional.of(new CompiledGraphs(Files.readAllBytes(entry.resolve("synthesis.onnx")),
                    Files.readAllBytes(entry.resolve("forward.onnx")),
                    exposed.isEmpty() ? List.of() : List.of(exposed.split(","))));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "graph cache entry " + entry + " unreadable; recompiling", e);
            return Optional.empty();
        }
    }

    /** Stores the graphs; a failure is logged, not thrown (the cache is an optimisation). */
    public void store(String sha256, String compilerVersion, List<String> layers, CompiledGraphs graphs) {
        Path entry = entry(sha256, compilerVersion, layers);
        try {
            Files.createDirectories(entry);
            write(entry.resolve("synthesis.onnx"), graphs.synthesis());
            write(entry.resolve("forward.onnx"), graphs.forward());
            write(entry.resolve("exposed.txt"), String.join(",", graphs.exposed()).getBytes(StandardCharsets.UTF_8));
            write(entry.resolve("key.txt"), key(sha256, compilerVersion, layers).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "could not write graph cache entry " + entry, e);
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
