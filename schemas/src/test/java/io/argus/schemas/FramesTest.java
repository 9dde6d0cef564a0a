package io.argus.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.argus.schemas.proto.Encoding;
import io.argus.schemas.proto.Frame;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FramesTest {
  // a real JPEG starts FF D8 FF; the content does not matter to the wire format
  private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3, 4, 5, 6};

  static Frame.Builder frame() {
    return Frame.newBuilder().setCameraId("gate-3").setSequence(41).setCaptureTimeMs(1_700_000_000_123L)
        .setEncoding(Encoding.JPEG).setWidth(1920).setHeight(1080).setData(ByteString.copyFrom(JPEG));
  }

  @Test
  void roundTripKeepsEveryField() throws Exception {
    Frame sent = frame().build();
    Frame got = Frames.parse(sent.toByteArray());
    assertThat(got).isEqualTo(sent);
    assertThat(got.getCameraId()).isEqualTo("gate-3");
    assertThat(got.getSequence()).isEqualTo(41);
    assertThat(got.getCaptureTimeMs()).isEqualTo(1_700_000_000_123L);
    assertThat(got.getEncoding()).isEqualTo(Encoding.JPEG);
    assertThat(got.getWidth()).isEqualTo(1920);
    assertThat(got.getHeight()).isEqualTo(1080);
    assertThat(got.getData().toByteArray()).isEqualTo(JPEG);
  }

  @Test
  void wireBytesFollowTheProtoFieldNumbers() throws Exception {
    // independent of the generated code: field 1 (camera_id) is tag 0x0A, length-delimited
    byte[] bytes = Frame.newBuilder().setCameraId("c").build().toByteArray();
    assertThat(bytes).containsExactly(0x0A, 1, 'c');
    // field 7 (data) is tag 0x3A; field 4 (encoding) tag 0x20 with PNG = 2
    assertThat(Frame.newBuilder().setEncoding(Encoding.PNG).build().toByteArray()).containsExactly(0x20, 2);
    assertThat(Frame.newBuilder().setData(ByteString.copyFrom(new byte[] {9})).build().toByteArray())
        .containsExactly(0x3A, 1, 9);
  }

  @Test
  void emptyAndNullAreUnreadable() {
    assertReason(new byte[0], DeadLetterReason.UNREADABLE_FRAME, "empty");
    assertReason(null, DeadLetterReason.UNREADABLE_FRAME, "empty");
  }

  @Test
  void everyTruncationIsRejectedAsUnreadable() {
    byte[] full = frame().build().toByteArray();
    for (int n = 0; n < full.length; n++) {
      assertReason(Arrays.copyOf(full, n), DeadLetterReason.UNREADABLE_FRAME, "");
    }
  }

  @Test
  void randomBytesAreNeverAccepted() {
    // protobuf alone accepts a good share of these (unknown fields, default values)
    Random random = new Random(7);
    Map<DeadLetterReason, Integer> reasons = new EnumMap<>(DeadLetterReason.class);
    int protobufAccepted = 0;
    for (int i = 0; i < 3_000; i++) {
      byte[] garbage = new byte[1 + random.nextInt(64)];
      random.nextBytes(garbage);
      try {
        Frame.parseFrom(garbage);
        protobufAccepted++;
      } catch (Exception notProtobuf) {
        // fine
      }
      WireFormatException e = catchThrowableOfType(WireFormatException.class, () -> Frames.parse(garbage));
      if (e == null) {
        throw new AssertionError("garbage accepted as a frame: " + Arrays.toString(garbage));
      }
      reasons.merge(e.reason(), 1, Integer::sum);
    }
    System.out.println("random bytes: protobuf parsed " + protobufAccepted + " of 3000, Frames reasons " + reasons);
    assertThat(protobufAccepted).isPositive();
    assertThat(reasons.keySet()).containsOnly(DeadLetterReason.UNREADABLE_FRAME);
  }

  @Test
  void avroBytesAreNotAFrame() {
    byte[] avro = AvroCodec.trackCommands().encode(AvroCodecTest.start());
    assertReason(avro, DeadLetterReason.UNREADABLE_FRAME, "");
  }

  @Test
  void missingFieldsAreNamed() {
    assertReason(frame().clearCameraId().build().toByteArray(), DeadLetterReason.UNREADABLE_FRAME, "camera_id is empty");
    assertReason(frame().setWidth(0).build().toByteArray(), DeadLetterReason.UNREADABLE_FRAME, "0x1080");
    assertReason(frame().setHeight(-5).build().toByteArray(), DeadLetterReason.UNREADABLE_FRAME, "1920x-5");
    assertReason(frame().clearData().build().toByteArray(), DeadLetterReason.UNREADABLE_FRAME, "data is empty");
    assertReason(frame().setSequence(-1).build().toByteArray(), DeadLetterReason.UNREADABLE_FRAME, "sequence");
    assertReason(frame().setCameraId("a\u0000b").build().toByteArray(), DeadLetterReason.UNREADABLE_FRAME,
        "control characters");
  }

  @Test
  void unspecifiedOrUnknownEncodingIsUnsupported() {
    assertReason(frame().setEncoding(Encoding.ENCODING_UNSPECIFIED).build().toByteArray(),
        DeadLetterReason.UNSUPPORTED_ENCODING, "ENCODING_UNSPECIFIED");
    // a newer camera sending an encoding this reader does not know (enum number 7)
    assertReason(frame().setEncodingValue(7).build().toByteArray(), DeadLetterReason.UNSUPPORTED_ENCODING,
        "number 7");
  }

  @Test
  void dataOverTheLimitIsTooLarge() throws Exception {
    byte[] image = new byte[1000];
    byte[] bytes = frame().setData(ByteString.copyFrom(image)).build().toByteArray();
    assertThat(Frames.parse(bytes, 1000).getData().size()).isEqualTo(1000);
    assertThatThrownBy(() -> Frames.parse(bytes, 999))
        .isInstanceOfSatisfying(WireFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(DeadLetterReason.FRAME_TOO_LARGE))
        .hasMessageContaining("1000 bytes exceeds the limit of 999");
    // far over the limit: refused before protobuf copies it
    byte[] huge = frame().setData(ByteString.copyFrom(new byte[100_000])).build().toByteArray();
    assertReason(huge, 10_000, DeadLetterReason.FRAME_TOO_LARGE, "exceeds the limit of 10000");
  }

  @Test
  void unknownFieldsFromANewerCameraAreTolerated() throws Exception {
    // field 15, varint 1: what a newer schema version might add
    byte[] base = frame().build().toByteArray();
    byte[] newer = Arrays.copyOf(base, base.length + 2);
    newer[base.length] = (byte) (15 << 3);
    newer[base.length + 1] = 1;
    assertThat(Frames.parse(newer).getCameraId()).isEqualTo("gate-3");
  }

  private static void assertReason(byte[] bytes, DeadLetterReason reason, String messagePart) {
    assertReason(bytes, Frames.DEFAULT_MAX_DATA_BYTES, reason, messagePart);
  }

  private static void assertReason(byte[] bytes, int limit, DeadLetterReason reason, String messagePart) {
    assertThatThrownBy(() -> Frames.parse(bytes, limit))
        .as("%s", bytes == null ? "null" : bytes.length + " bytes")
        .isInstanceOfSatisfying(WireFormatException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(messagePart);
  }
}
