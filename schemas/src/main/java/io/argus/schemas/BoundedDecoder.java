package io.argus.schemas;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of one in-memory message that never trusts a length prefix beyond the bytes
 * that are left. Avro's own decoder allocates the announced size first and reads after, so a corrupt
 * length of a few hundred megabytes in a 60-byte message became a heap-sized allocation (seen: an
 * OutOfMemoryError on random bodies under -Xmx3g).
 *
 * <p>Collection counts are bounded the same way, assuming every item takes at least one byte, which
 * holds for every schema in this module (no arrays of null or of empty records).
 */
final class BoundedDecoder extends Decoder {
  private final ByteArrayInputStream input;
  private final BinaryDecoder in;

  BoundedDecoder(byte[] bytes, int offset) {
    this.input = new ByteArrayInputStream(bytes, offset, bytes.length - offset);
    // direct: no read-ahead, so input.available() is exactly what is left
    this.in = DecoderFactory.get().directBinaryDecoder(input, null);
  }

  /** Bytes not consumed yet. */
  int remaining() {
    return input.available();
  }

  private int checkedLength(long length, String what) throws IOException {
    if (length < 0) {
      throw new IOException("negative " + what + " length " + length);
    }
    if (length > remaining()) {
      throw new EOFException(what + " of " + length + " bytes announced, only " + remaining() + " left");
    }
    return (int) length;
  }

  private long checkedCount(long count) throws IOException {
    if (count > remaining()) {
      throw new EOFException("collection of " + count + " items announced, only " + remaining() + " bytes left");
    }
    return count;
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = checkedLength(in.readLong(), "string");
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(length);
    in.readFixed(result.getBytes(), 0, length);
    return result;
  }

  @Override
  public String readString() throws IOException {
    byte[] bytes = new byte[checkedLength(in.readLong(), "string")];
    in.readFixed(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    byte[] bytes = new byte[checkedLength(in.readLong(), "bytes")];
    in.readFixed(bytes);
    return ByteBuffer.wrap(bytes);
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    checkedLength(length, "fixed");
    in.readFixed(bytes, start, length);
  }

  @Override
  public long readArrayStart() throws IOException {
    return checkedCount(in.readArrayStart());
  }

  @Override
  public long arrayNext() throws IOException {
    return checkedCount(in.arrayNext());
  }

  @Override
  public long readMapStart() throws IOException {
    return checkedCount(in.readMapStart());
  }

  @Override
  public long mapNext() throws IOException {
    return checkedCount(in.mapNext());
  }

  // --- the rest allocates nothing: delegate ---

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public void skipString() throws IOException {
    in.skipString();
  }

  @Override
  public void skipBytes() throws IOException {
    in.skipBytes();
  }

  @Override
  public void skipFixed(int length) throws IOException {
    in.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public long skipArray() throws IOException {
    return in.skipArray();
  }

  @Override
  public long skipMap() throws IOException {
    return in.skipMap();
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }
}
