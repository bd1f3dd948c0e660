package dev.robustsynth.autodiff.graph;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Encoding and decoding of ONNX {@link TensorProto}s and data-type helpers. */
public final class Tensors {
  public static final int FLOAT = DataType.FLOAT_VALUE;
  public static final int DOUBLE = DataType.DOUBLE_VALUE;
  public static final int INT64 = DataType.INT64_VALUE;
  public static final int INT32 = DataType.INT32_VALUE;
  public static final int BOOL = DataType.BOOL_VALUE;

  private Tensors() {}

  public static boolean isFloat(int elemType) {
    return elemType == FLOAT || elemType == DOUBLE || elemType == DataType.FLOAT16_VALUE
        || elemType == DataType.BFLOAT16_VALUE;
  }

  public static boolean isInteger(int elemType) {
    return switch (DataType.forNumber(elemType)) {
      case INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, UINT64, BOOL -> true;
      case null, default -> false;
    };
  }

  public static String typeName(int elemType) {
    DataType t = DataType.forNumber(elemType);
    return t == null ? "type" + elemType : t.name().toLowerCase();
  }

  /** Number of elements described by {@code dims}. */
  public static long count(long[] dims) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  /** Number of elements of a tensor proto, from its dims. */
  public static long count(TensorProto t) {
    long n = 1;
    for (long d : t.getDimsList()) {
      n *= d;
    }
    return n;
  }

  /** Decodes a float or double tensor to doubles. */
  public static double[] reals(TensorProto t) {
    int n = Math.toIntExact(count(t));
    double[] r = new double[n];
    ByteBuffer raw = raw(t);
    switch (t.getDataType()) {
      case DataType.FLOAT_VALUE -> {
        for (int i = 0; i < n; i++) {
          r[i] = raw != null ? raw.getFloat(4 * i) : t.getFloatData(i);
        }
      }
      case DataType.DOUBLE_VALUE -> {
        for (int i = 0; i < n; i++) {
          r[i] = raw != null ? raw.getDouble(8 * i) : t.getDoubleData(i);
        }
      }
      default -> throw new IllegalArgumentException(
          "tensor '" + t.getName() + "' of type " + typeName(t.getDataType()) + " is not float");
    }
    return r;
  }

  /** Decodes an integer or bool tensor to longs. */
  public static long[] longs(TensorProto t) {
    int n = Math.toIntExact(count(t));
    long[] r = new long[n];
    ByteBuffer raw = raw(t);
    int type = t.getDataType();
    for (int i = 0; i < n; i++) {
      r[i] = switch (type) {
        case DataType.INT64_VALUE -> raw != null ? raw.getLong(8 * i) : t.getInt64Data(i);
        case DataType.UINT64_VALUE -> raw != null ? raw.getLong(8 * i) : t.getUint64Data(i);
        case DataType.INT32_VALUE -> raw != null ? raw.getInt(4 * i) : t.getInt32Data(i);
        case DataType.UINT32_VALUE -> raw != null ? raw.getInt(4 * i) & 0xffffffffL : t.getUint64Data(i);
        case DataType.INT16_VALUE -> raw != null ? raw.getShort(2 * i) : t.getInt32Data(i);
        case DataType.UINT16_VALUE -> raw != null ? raw.getShort(2 * i) & 0xffff : t.getInt32Data(i);
        case DataType.INT8_VALUE -> raw != null ? raw.get(i) : t.getInt32Data(i);
        case DataType.UINT8_VALUE, DataType.BOOL_VALUE -> raw != null ? raw.get(i) & 0xff : t.getInt32Data(i);
        default -> throw new IllegalArgumentException(
            "tensor '" + t.getName() + "' of type " + typeName(type) + " is not an integer tensor");
      };
    }
    return r;
  }

  private static ByteBuffer raw(TensorProto t) {
    if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
      throw new IllegalArgumentException("tensor '" + t.getName() + "' uses external data, which is not supported");
    }
    if (t.getRawData().isEmpty()) {
      return null;
    }
    return t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Encodes doubles as a tensor of the given float type (float or double). */
  public static TensorProto ofReals(String name, int elemType, long[] dims, double[] values) {
    ByteBuffer b;
    if (elemType == FLOAT) {
      b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      for (double v : values) {
        b.putFloat((float) v);
      }
    } else if (elemType == DOUBLE) {
      b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
      for (double v : values) {
        b.putDouble(v);
      }
    } else {
      throw new IllegalArgumentException("cannot encode reals as " + typeName(elemType));
    }
    return proto(name, elemType, dims, b);
  }

  /** Encodes longs as a tensor of the given integer type (int64, int32, int8, uint8 or bool). */
  public static TensorProto ofLongs(String name, int elemType, long[] dims, long[] values) {
    ByteBuffer b;
    switch (elemType) {
      case DataType.INT64_VALUE -> {
        b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
          b.putLong(v);
        }
      }
      case DataType.INT32_VALUE -> {
        b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
          b.putInt((int) v);
        }
      }
      case DataType.INT8_VALUE, DataType.UINT8_VALUE, DataType.BOOL_VALUE -> {
        b = ByteBuffer.allocate(values.length);
        for (long v : values) {
          b.put((byte) v);
        }
      }
      default -> throw new IllegalArgumentException("cannot encode integers as " + typeName(elemType));
    }
    return proto(name, elemType, dims, b);
  }

  private static TensorProto proto(String name, int elemType, long[] dims, ByteBuffer data) {
    TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(elemType);
    for (long d : dims) {
      t.addDims(d);
    }
    data.flip();
    return t.setRawData(ByteString.copyFrom(data)).build();
  }
}
