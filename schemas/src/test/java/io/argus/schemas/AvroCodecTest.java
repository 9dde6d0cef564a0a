package io.argus.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

public class AvroCodecTest {
  public static TrackCommand start() {
    return TrackCommand.newBuilder().setCameraId("gate-3").setTargetId("t-17").setAction(CommandAction.START)
        .setFrameSequence(41).setBox(new Box(10.5f, 20f, 64f, 48f)).setLabel("red van").setModel(null)
        .setIssuedAtMs(1_700_000_000_500L).build();
  }

  static TrackUpdate update() {
    return TrackUpdate.newBuilder().setCameraId("gate-3").setTargetId("t-17").setFrameSequence(42)
        .setCaptureTimeMs(1_700_000_000_533L).setProcessingTimeMs(1_700_000_000_601L)
        .setBox(new Box(12f, 21f, 64f, 48f)).setScore(0.87f).setState(TrackState.TRACKING)
        .setRotatedBox(List.of(new Point(12f, 30f), new Point(50f, 21f), new Point(76f, 60f), new Point(38f, 69f)))
        .setMask(new Mask(12, 21, 64, 48, List.of(100, 30, 2000, 942)))
        .setLabel(null).setModel("siamfc-alexnet").build();
  }

  static DeadLetter deadLetter() {
    return DeadLetter.newBuilder().setSource("argus.frames/3@1234").setReason(DeadLetterReason.UNREADABLE_IMAGE)
        .setMessage("not a JPEG").setCameraId("gate-3").setPayload(ByteBuffer.wrap(new byte[] {1, 2, 3}))
        .setTimeMs(1_700_000_001_000L).build();
  }

  @Test
  void roundTripsEveryRecord() throws Exception {
    assertThat(AvroCodec.trackCommands().decode(AvroCodec.trackCommands().encode(start()))).isEqualTo(start());
    assertThat(AvroCodec.trackUpdates().decode(AvroCodec.trackUpdates().encode(update()))).isEqualTo(update());
    DeadLetter letter = AvroCodec.deadLetters().decode(AvroCodec.deadLetters().encode(deadLetter()));
    assertThat(letter).isEqualTo(deadLetter());
    assertThat(letter.getPayload().array()).containsExactly(1, 2, 3);
    TrackCommand stop = TrackCommand.newBuilder(start()).setAction(CommandAction.STOP).setBox(null)
        .setLabel(null).build();
    assertThat(AvroCodec.trackCommands().decode(AvroCodec.trackCommands().encode(stop)).getBox()).isNull();
  }

  @Test
  void headerIsTheSpecsSingleObjectHeader() {
    byte[] bytes = AvroCodec.trackCommands().encode(start());
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertThat(fingerprint).isEqualTo(
        org.apache.avro.SchemaNormalization.parsingFingerprint64(TrackCommand.getClassSchema()));
    // same bytes as the generated class's own single-object encoder
    ByteBuffer generated = assertDoesNotThrow(() -> start().toByteBuffer());
    byte[] generatedBytes = new byte[generated.remaining()];
    generated.get(generatedBytes);
    assertThat(bytes).isEqualTo(generatedBytes);
  }

  @Test
  void bytesWithoutTheHeaderAreUnreadable() {
    var codec = AvroCodec.trackCommands();
    assertRejected(codec, new byte[0], DeadLetterReason.UNREADABLE_COMMAND, "empty message");
    assertRejected(codec, null, DeadLetterReason.UNREADABLE_COMMAND, "empty message");
    assertRejected(codec, "{\"cameraId\":\"x\"}".getBytes(), DeadLetterReason.UNREADABLE_COMMAND,
        "starts with 7B 22 instead of C3 01");
    // the plain binary body without the single-object header
    byte[] full = codec.encode(start());
    assertRejected(codec, Arrays.copyOfRange(full, 10, full.length), DeadLetterReason.UNREADABLE_COMMAND,
        "not an Avro single-object message");
    assertRejected(codec, new byte[] {(byte) 0xC3, 1, 5}, DeadLetterReason.UNREADABLE_COMMAND, "truncated");
    // consumers of tracks/dead letters have no dedicated code
    assertRejected(AvroCodec.trackUpdates(), new byte[] {1}, DeadLetterReason.OTHER, "not an Avro");
  }

  @Test
  void everyTruncatedBodyIsUnreadable() {
    var codec = AvroCodec.trackUpdates();
    byte[] full = codec.encode(update());
    for (int n = 0; n < full.length; n++) {
      assertRejected(codec, Arrays.copyOf(full, n), DeadLetterReason.OTHER, "");
    }
    assertRejected(codec, Arrays.copyOf(full, full.length - 1), DeadLetterReason.OTHER,
        "corrupt or truncated TrackUpdate body");
  }

  @Test
  void trailingBytesAreUnreadable() {
    var codec = AvroCodec.trackCommands();
    byte[] full = codec.encode(start());
    assertRejected(codec, Arrays.copyOf(full, full.length + 3), DeadLetterReason.UNREADABLE_COMMAND,
        "3 trailing bytes");
  }

  @Test
  void garbageBodiesAreRejectedNotThrownAsRuntimeErrors() {
    var codec = AvroCodec.trackUpdates();
    byte[] header = Arrays.copyOf(codec.encode(update()), 10);
    var random = new java.util.Random(3);
    for (int i = 0; i < 5000; i++) {
      byte[] body = new byte[random.nextInt(80)];
      random.nextBytes(body);
      byte[] bytes = concat(header, body);
      try {
        codec.decode(bytes);
      } catch (WireFormatException e) {
        assertThat(e.reason()).isEqualTo(DeadLetterReason.OTHER);
      }
    }
  }

  @Test
  void aHugeLengthPrefixIsRefusedWithoutAllocatingIt() {
    // Avro's own decoder would allocate 1.5 GB for this 15-byte message before noticing the EOF
    var codec = AvroCodec.trackCommands();
    byte[] header = Arrays.copyOf(codec.encode(start()), 10);
    long zigzag = 1_500_000_000L << 1;
    var body = new ByteArrayOutputStream();
    while ((zigzag & ~0x7FL) != 0) {
      body.write((int) ((zigzag & 0x7F) | 0x80));
      zigzag >>>= 7;
    }
    body.write((int) zigzag);
    assertRejected(codec, concat(header, body.toByteArray()), DeadLetterReason.UNREADABLE_COMMAND,
        "string of 1500000000 bytes announced, only 0 left");
  }

  @Test
  void unknownFingerprintNamesTheSchemaAndTheKnownOnes() {
    Schema newer = withExtraField(TrackCommand.getClassSchema(), "priority");
    byte[] bytes = encodeGeneric(newer, genericStart(newer));
    long newerFingerprint = AvroCodec.fingerprint(newer);
    assertRejected(AvroCodec.trackCommands(), bytes, DeadLetterReason.UNKNOWN_SCHEMA,
        String.format("UNKNOWN_SCHEMA: fingerprint 0x%016x is not a known version of TrackCommand; known: 0x%016x (current)",
            newerFingerprint, AvroCodec.trackCommands().fingerprint()));
  }

  @Test
  void olderWriterWithoutLabelIsReadAfterRegistration() throws Exception {
    Schema older = withoutField(TrackCommand.getClassSchema(), "label");
    byte[] bytes = encodeGeneric(older, genericStart(older));

    assertRejected(AvroCodec.trackCommands(), bytes, DeadLetterReason.UNKNOWN_SCHEMA, "not a known version");

    TrackCommand read = AvroCodec.trackCommands(older).decode(bytes);
    assertThat(read).isEqualTo(TrackCommand.newBuilder(start()).setLabel(null).build());
  }

  @Test
  void newerWriterWithAnExtraFieldIsReadAfterRegistration() throws Exception {
    Schema newer = withExtraField(TrackCommand.getClassSchema(), "priority");
    TrackCommand read = AvroCodec.trackCommands(newer).decode(encodeGeneric(newer, genericStart(newer)));
    assertThat(read).isEqualTo(start());
  }

  @Test
  void unknownDeadLetterReasonFromANewerWriterBecomesOther() throws Exception {
    Schema current = DeadLetter.getClassSchema();
    String json = current.toString().replace("\"OTHER\"]", "\"OTHER\",\"GPU_ON_FIRE\"]");
    Schema newer = new Schema.Parser().parse(json);
    assertThat(newer.getField("reason").schema().getEnumSymbols()).contains("GPU_ON_FIRE");

    GenericRecord record = new GenericData.Record(newer);
    record.put("source", "tracker");
    record.put("reason", new GenericData.EnumSymbol(newer.getField("reason").schema(), "GPU_ON_FIRE"));
    record.put("message", "m");
    record.put("cameraId", null);
    record.put("payload", ByteBuffer.wrap(new byte[0]));
    record.put("timeMs", 5L);
    DeadLetter read = AvroCodec.deadLetters(newer).decode(encodeGeneric(newer, record));
    assertThat(read.getReason()).isEqualTo(DeadLetterReason.OTHER);
  }

  @Test
  void unresolvableOlderSchemaFailsAtRegistration() {
    // the current class needs issuedAtMs and has no default for it: a writer without it cannot be read
    Schema broken = withoutField(TrackCommand.getClassSchema(), "issuedAtMs");
    assertThatThrownBy(() -> AvroCodec.trackCommands(broken)).hasMessageContaining("issuedAtMs");
  }

  @Test
  void survivesJavaSerializationWithItsOlderSchemas() throws Exception {
    Schema older = withoutField(TrackCommand.getClassSchema(), "label");
    AvroCodec<TrackCommand> codec = AvroCodec.trackCommands(older);
    var out = new ByteArrayOutputStream();
    try (var oos = new ObjectOutputStream(out)) {
      oos.writeObject(codec);
    }
    @SuppressWarnings("unchecked")
    AvroCodec<TrackCommand> copy = (AvroCodec<TrackCommand>)
        new ObjectInputStream(new ByteArrayInputStream(out.toByteArray())).readObject();
    assertThat(copy.decode(encodeGeneric(older, genericStart(older))).getCameraId()).isEqualTo("gate-3");
    assertThat(copy.decode(codec.encode(start()))).isEqualTo(start());
  }

  // --- helpers: schemas and messages written without the generated classes ---

  private static Schema withoutField(Schema schema, String name) {
    var fields = schema.getFields().stream().filter(f -> !f.name().equals(name))
        .map(f -> new Schema.Field(f, f.schema())).toList();
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  private static Schema withExtraField(Schema schema, String name) {
    var fields = new java.util.ArrayList<>(schema.getFields().stream()
        .map(f -> new Schema.Field(f, f.schema())).toList());
    fields.add(new Schema.Field(name, SchemaBuilder.builder().intType()));
    return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
  }

  private static GenericRecord genericStart(Schema schema) {
    Schema boxSchema = Box.getClassSchema();
    GenericRecord box = new GenericData.Record(boxSchema);
    box.put("x", 10.5f);
    box.put("y", 20f);
    box.put("width", 64f);
    box.put("height", 48f);
    GenericRecord r = new GenericData.Record(schema);
    r.put("cameraId", "gate-3");
    r.put("targetId", "t-17");
    r.put("action", new GenericData.EnumSymbol(schema.getField("action").schema(), "START"));
    r.put("frameSequence", 41L);
    r.put("box", box);
    if (schema.getField("label") != null) {
      r.put("label", "red van");
    }
    r.put("model", null);
    if (schema.getField("issuedAtMs") != null) {
      r.put("issuedAtMs", 1_700_000_000_500L);
    }
    if (schema.getField("priority") != null) {
      r.put("priority", 9);
    }
    return r;
  }

  private static byte[] encodeGeneric(Schema schema, GenericRecord record) {
    try {
      ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      return bytes;
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static <T> T assertDoesNotThrow(java.util.concurrent.Callable<T> call) {
    try {
      return call.call();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static void assertRejected(AvroCodec<?> codec, byte[] bytes, DeadLetterReason reason, String messagePart) {
    assertThatThrownBy(() -> codec.decode(bytes))
        .as("%s", bytes == null ? "null" : bytes.length + " bytes")
        .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(messagePart);
  }
}
