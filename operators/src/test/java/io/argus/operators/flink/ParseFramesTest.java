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

  /**
   * A PNG of 60 bytes whose header declares a 20000 x 20000 picture: ImageIO would allocate its
   * 1.2 GB raster before finding the data missing, and an OutOfMemoryError fails the task, which
   * replays the same record after every restart. Its header must be checked against the frame's
   * declared size before any decoder sees it.
   */
  static byte[] pngBomb(int width, int height) throws Exception {
    var out = new java.io.ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    var ihdr = java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
        .put((byte) 0).put((byte) 0).put((byte) 0).array();
    chunk(out, "IHDR", ihdr);
    var z = new java.util.zip.Deflater();
    z.setInput(new byte[64]);
    z.finish();
    byte[] idat = new byte[128];
    chunk(out, "IDAT", Arrays.copyOf(idat, z.deflate(idat)));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  static void chunk(java.io.ByteArrayOutputStream out, String type, byte[] data) throws Exception {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    var crc = new java.util.zip.CRC32();
    crc.update(t);
    crc.update(data);
    out.write(java.nio.ByteBuffer.allocate(4).putInt(data.length).array());
    out.write(t);
    out.write(data);
    out.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  @Test
  void aJpegWithBytesBetweenItsSegmentsPassesAsTheDecoderTakesIt() throws Exception {
    byte[] jpeg = ImageEncoding.jpeg(PICTURE, 0.9f);
    // three stray bytes after the APP0 segment (FF E0 + its length): libjpeg skips them with a warning
    int app0End = 2 + 2 + (((jpeg[4] & 0xFF) << 8) | (jpeg[5] & 0xFF));
    byte[] stray = new byte[jpeg.length + 3];
    System.arraycopy(jpeg, 0, stray, 0, app0End);
    stray[app0End] = 1;
    stray[app0End + 1] = 2;
    stray[app0End + 2] = 3;
    System.arraycopy(jpeg, app0End, stray, app0End + 3, jpeg.length - app0End);
    assertThat(RgbImage.decode(stray).width()).isEqualTo(320);
    assertThat(parse(frame(Encoding.JPEG, stray))).hasSize(1);
    assertThat(deadLetters()).isEmpty();
  }

  @Test
  void imagesWhoseHeaderIsNotTheDeclaredSizeAreRefusedBeforeAnyDecoder() throws Exception {
    RgbImage larger = picture(400, 300);
    byte[] bomb = pngBomb(20_000, 20_000);
    var reader = ImageIO.getImageReadersByFormatName("png").next();
    reader.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(bomb)));
    assertThat(reader.getWidth(0)).as("a valid header: ImageIO would size its raster from it").isEqualTo(20_000);

    parse(frame(Encoding.PNG, bomb));
    parse(frame(Encoding.PNG, ImageEncoding.png(larger)));
    parse(frame(Encoding.JPEG, ImageEncoding.jpeg(larger, 0.9f)));
    assertThat(harness.extractOutputValues()).isEmpty();
    assertThat(deadLetters()).extracting(DeadLetter::getReason).containsOnly(DeadLetterReason.UNREADABLE_IMAGE);
    assertThat(deadLetters()).extracting(DeadLetter::getMessage).satisfiesExactly(
        m -> assertThat(m).contains("declares 320x240 but its image is 20000x20000"),
        m -> assertThat(m).contains("declares 320x240 but its image is 400x300"),
        m -> assertThat(m).contains("declares 320x240 but its image is 400x300"));
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
