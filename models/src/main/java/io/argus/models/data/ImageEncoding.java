package io.argus.models.data;

import io.argus.models.image.RgbImage;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Encodes frames the way a camera would publish them: JPEG (lossy, small) or PNG (exact). */
public final class ImageEncoding {

  private ImageEncoding() {}

  /** JPEG bytes at the given quality (0..1; cameras use about 0.8-0.9). */
  public static byte[] jpeg(RgbImage image, float quality) {
    if (!(quality >= 0 && quality <= 1)) {
      throw new IllegalArgumentException("JPEG quality must be in 0..1, got " + quality);
    }
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) {
      throw new IllegalStateException("this JVM has no ImageIO JPEG writer");
    }
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.width() * image.height() / 4);
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      writer.write(null, new IIOImage(bgr(image), null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  /** Lossless PNG bytes. */
  public static byte[] png(RgbImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.width() * image.height());
    try {
      if (!ImageIO.write(bgr(image), "png", bytes)) {
        throw new IllegalStateException("this JVM has no ImageIO PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("PNG encoding failed", e);
    }
    return bytes.toByteArray();
  }

  /** A TYPE_3BYTE_BGR image filled by a byte swap: much faster than setRGB per pixel. */
  static BufferedImage bgr(RgbImage image) {
    BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
    byte[] src = image.rgb();
    for (int i = 0; i < src.length; i += 3) {
      dst[i] = src[i + 2];
      dst[i + 1] = src[i + 1];
      dst[i + 2] = src[i];
    }
    return out;
  }
}
