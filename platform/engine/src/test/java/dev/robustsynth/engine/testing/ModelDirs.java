package dev.robustsynth.engine.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.StringJoiner;

/** Writes model directories (docs/MODEL-FORMAT.md) for tests. */
public final class ModelDirs {
    public static final int SEED_SIZE = 4;

    private ModelDirs() {
    }

    /** A tiny linear model's directory with a card (checksum included) and 4×4 seed statistics. */
    public static Path writeTiny(Path parent, String name, TinyLinearModel model) throws IOException {
        return write(parent, name, model.forwardModel(), model.channels, model.height, model.width, model.classes,
                "features", model.classes);
    }

    /** A fixture copied from test resources (see fixtures/README.md). */
    public static byte[] fixture(String file) throws IOException {
        try (var in = ModelDirs.class.getResourceAsStream("/fixtures/" + file)) {
            if (in == null) {
                throw new IOException("missing test fixture " + file);
            }
            return in.readAllBytes();
        }
    }

    /**
     * A model directory around {@code onnx} with a card (checksum included), one exposed layer of {@code layerSize}
     * values and 4×4 seed statistics.
     */
    public static Path write(Path parent, String name, byte[] onnx, int channels, int height, int width, int classes,
                             String layer, int layerSize) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        Files.write(dir.resolve("model.onnx"), onnx);
        StringJoiner names = new StringJoiner("\", \"", "[\"", "\"]");
        for (int k = 0; k < classes; k++) {
            names.add("class" + k);
        }
        String card = """
                {"name": "%s", "formatVersion": 1, "classes": %s,
                 "input": {"channels": %d, "height": %d, "width": %d, "range": [0, 1], "layout": "NCHW", "name": "x"},
                 "output": {"name": "logits"},
                 "threatModel": {"norm": "l2", "eps": 0.5},
                 "layers": [{"name": "%s", "shape": [%d], "description": "an exposed layer"}],
                 "onnx": {"file": "model.onnx", "sha256": "%s", "opset": 17},
                 "seeds": {"file": "seeds.bin", "channels": %d, "height": %d, "width": %d,
                           "kind": "gaussian-cholesky", "ridge": 1e-4},
                 "synthesisDefaults": {"eps": 2.0, "stepSize": 0.25, "steps": 20},
                 "somethingNew": {"readers": "ignore it"}}
                """.formatted(name, names, channels, height, width, layer, layerSize, sha256(onnx), channels,
                SEED_SIZE, SEED_SIZE);
        Files.writeString(dir.resolve("model.json"), card);
        Files.write(dir.resolve("seeds.bin"), seeds(classes, channels * SEED_SIZE * SEED_SIZE));
        return dir;
    }

    /** Means 0.3 + 0.1·k, Cholesky factor 0.05·I, packed row-major lower triangle, little-endian float32. */
    static byte[] seeds(int classes, int dim) {
        int packed = dim * (dim + 1) / 2;
        ByteBuffer out = ByteBuffer.allocate(classes * (dim + packed) * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < classes; k++) {
            for (int i = 0; i < dim; i++) {
                out.putFloat(0.3f + 0.1f * k);
            }
            for (int i = 0; i < dim; i++) {
                for (int j = 0; j <= i; j++) {
                    out.putFloat(i == j ? 0.05f : 0f);
                }
            }
        }
        return out.array();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
