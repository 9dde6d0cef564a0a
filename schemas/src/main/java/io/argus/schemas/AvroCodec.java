package io.argus.schemas;

import java.io.IOException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (header {@code C3 01}, the writer schema's 8-byte CRC-64-AVRO
 * fingerprint little-endian, then the binary body) for one generated record class.
 *
 * <p>Every message names its writer schema, so a reader can accept older versions: pass them to the
 * factory and they are resolved into the current class (fields added since get their defaults).
 * When a schema in {@code src/main/avro} changes, keep the previous version's JSON and list it in the
 * factory below, or consumers will dead-letter messages from producers not yet upgraded.
 *
 * <p>Thread-safe and {@link Serializable} (Flink ships it inside functions and sink schemas); the
 * Avro encoder and decoder are rebuilt after deserialisation.
 */
public final class AvroCodec<T extends SpecificRecord> implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final int HEADER_LENGTH = 10;
  private static final byte MAGIC_0 = (byte) 0xC3;
  private static final byte MAGIC_1 = (byte) 0x01;

  private final Class<T> type;
  private final DeadLetterReason unreadableReason;
  private final List<String> olderSchemaJson;

  private final transient Schema schema;
  private final transient BinaryMessageEncoder<T> encoder;
  /** writer fingerprint → reader resolving that version into T, current first; what decode accepts. */
  private final transient Map<Long, SpecificDatumReader<T>> readers;

  private AvroCodec(Class<T> type, DeadLetterReason unreadableReason, List<Schema> olderSchemas) {
    this.type = Objects.requireNonNull(type, "type");
    this.unreadableReason = Objects.requireNonNull(unreadableReason, "unreadableReason");
    SpecificData model = SpecificData.getForClass(type);
    this.schema = model.getSchema(type);
    this.encoder = new BinaryMessageEncoder<>(model, schema);
    this.readers = new LinkedHashMap<>();
    readers.put(fingerprint(schema), new SpecificDatumReader<>(schema, schema, model));
    this.olderSchemaJson = new ArrayList<>();
    for (Schema older : olderSchemas) {
      if (!older.getFullName().equals(schema.getFullName())) {
        throw new IllegalArgumentException("older schema " + older.getFullName()
            + " is not a version of " + schema.getFullName());
      }
      // Avro resolves lazily, on the first message; an impossible version should fail at startup
      var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(schema, older);
      if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        throw new IllegalArgumentException("cannot read " + schema.getFullName() + " written with older schema "
            + String.format("0x%016x", fingerprint(older)) + ": " + compatibility.getResult().getIncompatibilities());
      }
      readers.putIfAbsent(fingerprint(older), new SpecificDatumReader<>(older, schema, model));
      olderSchemaJson.add(older.toString());
    }
  }

  /**
   * A codec for {@code type}. {@code unreadableReason} is the dead-letter code for bytes that are not
   * a readable message (unknown schemas always get {@link DeadLetterReason#UNKNOWN_SCHEMA});
   * {@code olderWriterSchemas} are earlier versions of the record that decoding must still accept (a
   * newer version works too: its extra fields are skipped).
   */
  public static <T extends SpecificRecord> AvroCodec<T> of(
      Class<T> type, DeadLetterReason unreadableReason, Schema... olderWriterSchemas) {
    return new AvroCodec<>(type, unreadableReason, List.of(olderWriterSchemas));
  }

  public static AvroCodec<TrackCommand> trackCommands(Schema... olderWriterSchemas) {
    return of(TrackCommand.class, DeadLetterReason.UNREADABLE_COMMAND, olderWriterSchemas);
  }

  public static AvroCodec<TrackUpdate> trackUpdates(Schema... olderWriterSchemas) {
    return of(TrackUpdate.class, DeadLetterReason.OTHER, olderWriterSchemas);
  }

  public static AvroCodec<DeadLetter> deadLetters(Schema... olderWriterSchemas) {
    return of(DeadLetter.class, DeadLetterReason.OTHER, olderWriterSchemas);
  }

  /** The message bytes of {@code record}, written with the current schema. */
  public byte[] encode(T record) {
    Objects.requireNonNull(record, "record");
    try {
      var buffer = encoder.encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (IOException e) {
      // only an in-memory buffer is written: this is a record that breaks its own schema (a null field)
      throw new UncheckedIOException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /** The record in {@code bytes}, written with the current or any registered older schema. */
  public T decode(byte[] bytes) throws WireFormatException {
    String name = type.getSimpleName();
    int length = bytes == null ? 0 : bytes.length;
    if (length == 0) {
      throw unreadable("empty message: expected an Avro single-object encoded " + name
          + " (C3 01, 8-byte schema fingerprint, body)");
    }
    if (length < 2 || bytes[0] != MAGIC_0 || bytes[1] != MAGIC_1) {
      throw unreadable("not an Avro single-object message: starts with " + hex(bytes, 2)
          + " instead of C3 01 (" + length + " bytes); the producer must write " + name
          + " with its single-object encoding (toByteBuffer / AvroCodec.encode)");
    }
    if (length < HEADER_LENGTH) {
      throw unreadable("truncated " + name + " message: " + length
          + " bytes, shorter than the 10-byte single-object header");
    }
    long fingerprint = readFingerprint(bytes);
    SpecificDatumReader<T> reader = readers.get(fingerprint);
    if (reader == null) {
      throw new WireFormatException(DeadLetterReason.UNKNOWN_SCHEMA, String.format(
          "fingerprint 0x%016x is not a known version of %s; known: %s. A producer uses a schema this "
              + "reader was not given: register it as an older schema or upgrade the reader",
          fingerprint, name, knownFingerprints()));
    }
    var in = new BoundedDecoder(bytes, HEADER_LENGTH);
    T record;
    try {
      record = reader.read(null, in);
    } catch (IOException | RuntimeException e) {
      // EOF (truncated), bad union index, enum ordinal, negative length, ... all say: corrupt body
      throw unreadable(String.format("corrupt or truncated %s body (%d bytes, schema 0x%016x): %s",
          name, length, fingerprint, rootMessage(e)), e);
    }
    if (in.remaining() > 0) {
      throw unreadable(String.format("%d trailing bytes after a complete %s (%d bytes, schema 0x%016x)",
          in.remaining(), name, length, fingerprint));
    }
    return record;
  }

  /** The record class this codec reads and writes. */
  public Class<T> type() {
    return type;
  }

  /** The current (reader and writer) schema. */
  public Schema schema() {
    return schema;
  }

  /** CRC-64-AVRO fingerprint of the current schema, as written in every message header. */
  public long fingerprint() {
    return fingerprint(schema);
  }

  /** Fingerprint of any schema, as the single-object encoding computes it. */
  public static long fingerprint(Schema schema) {
    return SchemaNormalization.parsingFingerprint64(schema);
  }

  private WireFormatException unreadable(String message) {
    return new WireFormatException(unreadableReason, message);
  }

  private WireFormatException unreadable(String message, Throwable cause) {
    return new WireFormatException(unreadableReason, message, cause);
  }

  private String knownFingerprints() {
    return readers.keySet().stream()
        .map(f -> String.format("0x%016x%s", f, f == fingerprint() ? " (current)" : ""))
        .collect(Collectors.joining(", "));
  }

  private static long readFingerprint(byte[] bytes) {
    long value = 0;
    for (int i = HEADER_LENGTH - 1; i >= 2; i--) {
      value = (value << 8) | (bytes[i] & 0xFFL);
    }
    return value;
  }

  private static String hex(byte[] bytes, int max) {
    var sb = new StringBuilder();
    for (int i = 0; i < Math.min(max, bytes.length); i++) {
      sb.append(i == 0 ? "" : " ").append(String.format("%02X", bytes[i]));
    }
    return sb.toString();
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private Object readResolve() throws ObjectStreamException {
    List<Schema> older = new ArrayList<>();
    for (String json : olderSchemaJson) {
      older.add(new Schema.Parser().parse(json));
    }
    return new AvroCodec<>(type, unreadableReason, older);
  }
}
