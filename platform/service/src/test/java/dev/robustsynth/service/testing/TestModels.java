package dev.robustsynth.service.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The real models the tests serve: always the committed tiny untrained CNN {@code tiny-fashion}
 * (src/test/resources/models, made by src/test/python/make_tiny_model.py), the default model; and the shipped
 * {@code models/fashion-robust-l2} when the repository has it. Both are 1×28×28 with the Fashion-MNIST classes.
 */
public final class TestModels {
    public static final String TINY_NAME = "tiny-fashion";
    public static final String SHIPPED_NAME = "fashion-robust-l2";
    public static final Path SHIPPED = Path.of("../../models/" + SHIPPED_NAME);
    public static final Path TINY = Path.of("src/test/resources/models/" + TINY_NAME);

    private TestModels() {
    }

    public static boolean shipped() {
        return Files.isRegularFile(SHIPPED.resolve("model.json")) && Files.isRegularFile(SHIPPED.resolve("model.onnx"));
    }

    /** Engine settings serving the tiny model (and the shipped one when {@code withShipped} and present). */
    public static Map<String, String> config(Path work, boolean withShipped) {
        try {
            Path empty = Files.createDirectories(work.resolve("no-models"));
            String dirs = TINY.toAbsolutePath().normalize().toString();
            if (withShipped && shipped()) {
                dirs += "," + SHIPPED.toAbsolutePath().normalize();
            }
            return Map.of(
                    "rsynth.models-dir", empty.toString(),
                    "rsynth.extra-model-dirs", dirs,
                    "rsynth.default-model", TINY_NAME,
                    "rsynth.graph-cache-dir", Path.of("target/graph-cache").toAbsolutePath().toString(),
                    "rsynth.ort-threads", "1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
