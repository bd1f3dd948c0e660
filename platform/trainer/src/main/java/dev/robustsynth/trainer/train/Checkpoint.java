package dev.robustsynth.trainer.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.robustsynth.trainer.model.Network;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Training state after a finished epoch: parameters (incl. batch-norm running statistics), SGD velocity,
 * epoch, global step and accumulated training seconds. Written atomically (temp file + rename).
 */
public final class Checkpoint {

    private static final int MAGIC = 0x52534350; // "RSCP"
    private static final int VERSION = 1;

    /** What was restored. */
    public record State(int epochsDone, long globalStep, double trainingSeconds) {
    }

    private Checkpoint() {
    }

    public static void save(Path file, Network net, Sgd sgd, State state) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(state.epochsDone());
            out.writeLong(state.globalStep());
            out.writeDouble(state.trainingSeconds());
            var params = net.parameters();
            out.writeInt(params.size());
            for (Pair<String, Parameter> p : params) {
                writeArray(out, p.getKey(), p.getValue().getArray());
            }
            Map<String, NDArray> vel = sgd == null ? Map.of() : sgd.velocity();
            out.writeInt(vel.size());
            for (Map.Entry<String, NDArray> e : vel.entrySet()) {
                writeArray(out, e.getKey(), e.getValue());
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Restores parameters (and the velocity into {@code sgd} when not null). */
    public static State load(Path file, Network net, Sgd sgd, NDManager manager) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new IOException("not a trainer checkpoint: " + file);
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("checkpoint version " + version + " unsupported (expected " + VERSION + "): " + file);
            }
            State state = new State(in.readInt(), in.readLong(), in.readDouble());
            Map<String, Parameter> byName = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : net.parameters()) {
                byName.put(p.getKey(), p.getValue());
            }
            int n = in.readInt();
            if (n != byName.size()) {
                throw new IOException(file + " holds " + n + " parameters, the network has " + byName.size()
                        + " (different architecture or width?)");
            }
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                Parameter p = byName.get(name);
                if (p == null) {
                    throw new IOException(file + ": unknown parameter '" + name + "'");
                }
                float[] data = readFloats(in, p.getArray().getShape(), name, file);
                p.getArray().set(data);
            }
            int nv = in.readInt();
            for (int i = 0; i < nv; i++) {
                String name = in.readUTF();
                Parameter p = byName.get(name);
                if (p == null) {
                    throw new IOException(file + ": velocity of unknown parameter '" + name + "'");
                }
                float[] data = readFloats(in, p.getArray().getShape(), name, file);
                if (sgd != null) {
                    NDArray v = manager.create(data, p.getArray().getShape());
                    sgd.velocity().put(name, v);
                }
            }
            return state;
        }
    }

    private static void writeArray(DataOutputStream out, String name, NDArray a) throws IOException {
        out.writeUTF(name);
        long[] dims = a.getShape().getShape();
        out.writeInt(dims.length);
        for (long d : dims) {
            out.writeLong(d);
        }
        float[] data = a.toFloatArray();
        byte[] buf = new byte[data.length * 4];
        java.nio.ByteBuffer.wrap(buf).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(data);
        out.write(buf);
    }

    private static float[] readFloats(DataInputStream in, Shape expected, String name, Path file) throws IOException {
        int rank = in.readInt();
        long[] dims = new long[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = in.readLong();
        }
        Shape shape = new Shape(dims);
        if (!shape.equals(expected)) {
            throw new IOException(file + ": parameter '" + name + "' has shape " + shape + ", network expects " + expected);
        }
        byte[] buf = new byte[(int) shape.size() * 4];
        in.readFully(buf);
        float[] data = new float[(int) shape.size()];
        java.nio.ByteBuffer.wrap(buf).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return data;
    }
}
