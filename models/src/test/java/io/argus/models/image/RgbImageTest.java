package io.argus.models.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class RgbImageTest {

  /**
   * The colour-model path: getRGB, pixel by pixel; except grey pictures, whose stored values go
   * to all three channels (getRGB would brighten them as linear light; OpenCV and TensorFlow do not).
   */
  private static byte[] viaGetRgb(BufferedImage img) {
    if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      byte[] y = new byte[img.getWidth() * img.getHeight()];
      img.getRaster().getDataElements(0, 0, img.getWidth(), img.getHeight(), y);
      byte[] rgb = new byte[y.length * 3];
      for (int i = 0; i < y.length; i++) {
        rgb[3 * i] = y[i];
        rgb[3 * i + 1] = y[i];
        rgb[3 * i + 2] = y[i];
      }
      return rgb;
    }
    int w = img.getWidth();
    int h = img.getHeight();
    byte[] rgb = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int p = img.getRGB(x, y);
        int i = (y * w + x) * 3;
        rgb[i] = (byte) (p >> 16);
        rgb[i + 1] = (byte) (p >> 8);
        rgb[i + 2] = (byte) p;
      }
    }
    return rgb;
  }

  private static byte[] encode(BufferedImage img, String format) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(img, format, out)).isTrue();
    return out.toByteArray();
  }

  private static BufferedImage noise(int type, int w, int h) {
    BufferedImage img = new BufferedImage(w, h, type);
    Random r = new Random(9);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, r.nextInt(1 << 24));
      }
    }
    return img;
  }

  @Test
  void decodedJpegAndPngPixelsAreExactlyWhatGetRgbGives() throws Exception {
    for (String format : new String[] {"jpg", "png"}) {
      for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_BYTE_GRAY}) {
        byte[] bytes = encode(noise(type, 37, 23), format);
        BufferedImage reference = ImageIO.read(new ByteArrayInputStream(bytes));
        RgbImage decoded = RgbImage.decode(bytes);
        assertThat(decoded.rgb()).as("%s from type %d", format, type).isEqualTo(viaGetRgb(reference));
      }
    }
  }

  @Test
  void jpegDecodingIsTensorFlowsAndRefusesWhatItCannotRead() throws Exception {
    byte[] jpeg = encode(noise(BufferedImage.TYPE_INT_RGB, 64, 48), "jpg");
    assertThat(JpegDecoder.isJpeg(jpeg)).isTrue();
    assertThat(RgbImage.decode(jpeg).rgb()).isEqualTo(viaGetRgb(ImageIO.read(new ByteArrayInputStream(jpeg))));
    byte[] garbage = jpeg.clone();
    java.util.Arrays.fill(garbage, 2, garbage.length, (byte) 0x5A);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RgbImage.decode(garbage))
        .isInstanceOf(UnreadableImageException.class).hasMessageContaining("JPEG");
  }

  @Test
  void aSubimageIsReadThroughItsOwnWindow() {
    BufferedImage whole = noise(BufferedImage.TYPE_3BYTE_BGR, 20, 10);
    BufferedImage part = whole.getSubimage(3, 2, 7, 5);
    assertThat(RgbImage.of(part).rgb()).isEqualTo(viaGetRgb(part));
    assertThat(RgbImage.of(whole).rgb()).isEqualTo(viaGetRgb(whole));
  }

  @Test
  void realFootageDecodesExactlyAsGetRgb() throws Exception {
    Path seq = Path.of("../../shared/data/sequences/Crossing/img");
    if (!Files.isDirectory(seq)) {
      System.out.println("RgbImageTest: ../shared/data absent, real-footage check skipped");
      return;
    }
    try (Stream<Path> files = Files.list(seq)) {
      for (Path f : files.sorted().limit(3).toList()) {
        byte[] bytes = Files.readAllBytes(f);
        assertThat(RgbImage.decode(bytes).rgb()).isEqualTo(viaGetRgb(ImageIO.read(new ByteArrayInputStream(bytes))));
      }
    }
  }
}
