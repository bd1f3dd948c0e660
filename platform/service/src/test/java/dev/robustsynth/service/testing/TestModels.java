package dev.robustsynth.service.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Which real model the tests serve: the shipped {@code models/fashion-robust-l2} when the repository has it, else
 * the committed tiny untrained CNN {@code tiny-fashion} (src/test/resources/models, made by
 * src/test/python/make_tiny_model.py). Both are 1×28×28 with the Fashion-MNIST classes.
 */
public final class TestModels {
    public static final Path SHIPPED = Path.of("../../models/fashion-robust-l2");
    public static final Path TINY = Path.of("src/test/resources/models/tiny-fashion");

    private TestModels() {
    }

    public static boolean shipped() {
        return Files.isRegularFile(SHIPPED.resolve("model.json")) && Files.isRegularFile(SHIPPED.resolve("model.onnx"));
    }

    public static String name() {
        return shipped() ? "fashion-robust-l2" : "tiny-fashion";
    }

    /** Engine settings: only the chosen model, graph cache under target/. */
    public static Map<String, String> config(Path work) {
        try {
            Path empty = Files.createDirectories(work.resolve("no-models"));
            return Map.of(
                    "rsynth.models-dir", empty.toString(),
                    "rsynth.extra-model-dirs", (shipped() ? SHIPPED : TINY).toAbsolutePath().normalize().toString(),
                    "rsynth.default-model", name(),
                    "rsynth.graph-cache-dir", Path.of("target/graph-cache").toAbsolutePath().toString(),
                    "rsynth.ort-threads", "1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
