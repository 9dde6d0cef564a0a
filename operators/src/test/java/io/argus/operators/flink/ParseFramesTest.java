package io.argus.operators.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.argus.models.data.ImageEncoding;
import io.argus.models.image.RgbImage;
import io.argus.models.image.UnreadableImageException;
import io.argus.schemas.DeadLetter;
import io.argus.schemas.DeadLetterReason;
import io.argus.schemas.kafka.KafkaRecord;
import io.argus.schemas.proto.Encoding;
import io.argus.schemas.proto.Frame;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import javax.imageio.ImageIO;

/**
 * Frames that cannot be tracked never reach the tracker. Java's JPEG decoder returns a truncated
 * JPEG as a picture with its missing part grey, without an error: checked here against the real
 * decoder, so the test fails if the integrity check is removed.
 */
class ParseFramesTest {

  static final RgbImage PICTURE = picture(320, 240);

  OneInputStreamOperatorTestHarness<KafkaRecord, FrameEvent> harness;

  @BeforeEach
  void open() throws Exception {
    harness = ProcessFunctionTestHarnesses.forProcessFunction(new ParseFrames(1 << 20));
  }

  @AfterEach
  void close() throws Exception {
    harness.close();
  }

  static RgbImage picture(int w, int h) {
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) ((i * 31 + (i / (3 * w)) * 17) % 251);
    }
    return new RgbImage(w, h, rgb);
  }

  static byte[] frame(Encoding encoding, byte[] data) {
    return Frame.newBuilder().setCameraId("cam").setSequence(7).setCaptureTimeMs(1).setEncoding(encoding)
        .setWidth(320).setHeight(240).setData(ByteString.copyFrom(data)).build().toByteArray();
  }

  List<FrameEvent> parse(byte[] value) throws Exception {
    harness.processElement(new StreamRecord<>(new KafkaRecord("argus.frames", 0, 42, 0,
        "cam".getBytes(StandardCharsets.UTF_8), value)));
    return harness.extractOutputValues();
  }

  List<DeadLetter> deadLetters() {
    var q = harness.getSideOutput(DeadLetters.TAG);
    return q == null ? List.of() : q.stream().map(StreamRecord::getValue).collect(Collectors.toList());
  }

  @Test
  void aTruncatedJpegIsRefusedByTheParserBeforeAnyDecoder() throws Exception {
    byte[] jpeg = ImageEncoding.jpeg(PICTURE, 0.9f);
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
    // Java's ImageIO would return it with the bottom of the picture grey, and no error
    BufferedImage greyed = ImageIO.read(new ByteArrayInputStream(truncated));
    assertThat(greyed.getWidth()).isEqualTo(320);
    assertThat(greyed.getRGB(300, 230) & 0xFF).isEqualTo(128);
    // the decoder Argus uses refuses it too, but the parser must not depend on the decoder
    assertThatThrownBy(() -> RgbImage.decode(truncated)).isInstanceOf(UnreadableImageException.class);

    byte[] record = frame(Encoding.JPEG, truncated);
    assertThat(parse(record)).isEmpty();
    assertThat(deadLetters()).extracting(DeadLetter::getReason).containsExactly(DeadLetterReason.UNREADABLE_IMAGE);
    assertThat(deadLetters().get(0).getMessage()).contains("frame 7 of camera 'cam'", "truncated", "FF D9");
    assertThat(deadLetters().get(0).getSource()).isEqualTo("argus.frames/0@42");
    assertThat(deadLetters().get(0).getPayload().remaining()).as("the whole original record").isEqualTo(record.length);
  }

  @Test
  void wholeImagesPassIncludingPaddingAfterTheEndMarker() throws Exception {
    byte[] jpeg = ImageEncoding.jpeg(PICTURE, 0.9f);
    byte[] padded = Arrays.copyOf(jpeg, jpeg.length + 5);
    byte[] png = ImageEncoding.png(PICTURE);
    parse(frame(Encoding.JPEG, jpeg));
    parse(frame(Encoding.JPEG, padded));
    List<FrameEvent> out = parse(frame(Encoding.PNG, png));
    assertThat(out).hasSize(3);
    assertThat(out.get(2).data()).isEqualTo(png);
    assertThat(out.get(0).encoding()).isEqualTo("JPEG");
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void truncatedPngsAndBytesThatAreNotTheDeclaredImageAreRefused() throws Exception {
    byte[] png = ImageEncoding.png(PICTURE);
    parse(frame(Encoding.PNG, Arrays.copyOf(png, png.length - 20)));
    parse(frame(Encoding.JPEG, "not an image at all".getBytes(StandardCharsets.UTF_8)));
    parse(frame(Encoding.JPEG, png)); // a PNG labelled JPEG
    parse(frame(Encoding.PNG, ImageEncoding.jpeg(PICTURE, 0.9f)));
    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(deadLetters()).extracting(DeadLetter::getReason).containsOnly(DeadLetterReason.UNREADABLE_IMAGE);
    assertThat(deadLetters()).extracting(DeadLetter::getMessage).satisfiesExactly(
        m -> assertThat(m).contains("PNG is truncated"),
        m -> assertThat(m).contains("not a JPEG"),
        m -> assertThat(m).contains("not a JPEG"),
        m -> assertThat(m).contains("not a PNG"));
  }

  @Test
  void recordsThatAreNotFramesKeepTheirWireFormatReason() throws Exception {
    parse(new byte[0]);
    parse("{\"camera\": \"cam\"}".getBytes(StandardCharsets.UTF_8));
    parse(Frame.newBuilder().setCameraId("cam").setSequence(1).setEncodingValue(7).setWidth(320).setHeight(240)
        .setData(ByteString.copyFrom(ImageEncoding.jpeg(PICTURE, 0.9f))).build().toByteArray());
    parse(frame(Encoding.JPEG, new byte[(1 << 20) + 1]));
    assertThat(deadLetters()).extracting(DeadLetter::getReason).containsExactly(DeadLetterReason.UNREADABLE_FRAME,
        DeadLetterReason.UNREADABLE_FRAME, DeadLetterReason.UNSUPPORTED_ENCODING, DeadLetterReason.FRAME_TOO_LARGE);
    assertThat(deadLetters()).extracting(DeadLetter::getCameraId).containsOnly("cam");
  }
}
