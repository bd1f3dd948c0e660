package dev.robustsynth.autodiff;

import dev.robustsynth.autodiff.OrtRunner.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the fixtures' tensor files written by {@code src/test/python/make_fixtures.py}: little
 * endian, {@code "RSTN"}, uint32 count, then per tensor uint16 name length, name, uint8 rank,
 * int64 dims, float32 data. Test helper.
 */
final class TensorFile {
  private TensorFile() {}

  static Map<String, Tensor> read(InputStream in) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[4];
    b.get(magic);
    if (!new String(magic, StandardCharsets.US_ASCII).equals("RSTN")) {
      throw new IOException("not a tensor file");
    }
    int count = b.getInt();
    Map<String, Tensor> r = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      byte[] name = new byte[Short.toUnsignedInt(b.getShort())];
      b.get(name);
      int rank = Byte.toUnsignedInt(b.get());
      long[] dims = new long[rank];
      long n = 1;
      for (int d = 0; d < rank; d++) {
        dims[d] = b.getLong();
        n *= dims[d];
      }
      float[] data = new float[(int) n];
      b.asFloatBuffer().get(data);
      b.position(b.position() + 4 * data.length);
      r.put(new String(name, StandardCharsets.UTF_8), new Tensor(data, dims));
    }
    return r;
  }
}
