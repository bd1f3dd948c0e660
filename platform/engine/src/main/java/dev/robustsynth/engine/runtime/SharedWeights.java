package dev.robustsynth.engine.runtime;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Float weights present with identical content in both of a model's graphs, as {@link OnnxTensor}s over direct
 * buffers, to hand to both sessions with {@code SessionOptions.addInitializer} so ORT keeps one copy. Owned by
 * the model and closed after its sessions; {@link #close()} is idempotent.
 */
public final class SharedWeights implements AutoCloseable {
    private final Map<String, OnnxTensor> tensors;
    private final long bytes;
    private boolean closed;

    private SharedWeights(Map<String, OnnxTensor> tensors, long bytes) {
        this.tensors = Collections.unmodifiableMap(tensors);
        this.bytes = bytes;
    }

    /** No sharing. */
    public static SharedWeights none() {
        return new SharedWeights(Map.of(), 0);
    }

    /**
     * The float initializers of at least {@code minElements} values that both graphs hold under one name with
     * equal content.
     */
    public static SharedWeights between(OrtEnvironment env, byte[] first, byte[] second, int minElements)
            throws OrtException, InvalidProtocolBufferException {
        Map<String, TensorProto> inFirst = new HashMap<>();
        for (TensorProto t : ModelProto.parseFrom(first).getGraph().getInitializerList()) {
            inFirst.put(t.getName(), t);
        }
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        long bytes = 0;
        try {
            for (TensorProto t : ModelProto.parseFrom(second).getGraph().getInitializerList()) {
                if (t.getDataType() != TensorProto.DataType.FLOAT.getNumber() || !t.equals(inFirst.get(t.getName()))
                        || t.hasDataLocation() && t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
                    continue;
                }
                long[] shape = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
                long count = 1;
                for (long d : shape) {
                    count *= d;
                }
                if (count < minElements || count > Integer.MAX_VALUE / 4) {
                    continue;
                }
                FloatBuffer data = ByteBuffer.allocateDirect((int) count * 4).order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
                if (!t.getRawData().isEmpty()) {
                    data.put(t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer());
                } else {
                    for (int i = 0; i < t.getFloatDataCount(); i++) {
                        data.put(i, t.getFloatData(i));
                    }
                }
                data.rewind();
                tensors.put(t.getName(), OnnxTensor.createTensor(env, data, shape));
                bytes += count * 4;
            }
        } catch (OrtException | RuntimeException e) {
            tensors.values().forEach(OnnxTensor::close);
            throw e;
        }
        return new SharedWeights(tensors, bytes);
    }

    public Map<String, OnnxTensor> tensors() {
        return tensors;
    }

    /** Bytes of weights held once instead of twice. */
    public long bytes() {
        return bytes;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        tensors.values().forEach(OnnxTensor::close);
    }
}
