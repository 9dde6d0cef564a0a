package io.argus.models.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * A decoded frame: 8-bit RGB, interleaved, row-major. The one pixel type shared by training,
 * tracking and rendering, so a crop made for training is the crop the tracker makes.
 */
public record RgbImage(int width, int height, byte[] rgb) {

  public RgbImage {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    if (rgb.length != width * height * 3) {
      throw new IllegalArgumentException(
          "expected " + (width * height * 3) + " RGB bytes for " + width + "x" + height + ", got " + rgb.length);
    }
  }

  /**
   * Decodes JPEG (TensorFlow's decoder, see {@link JpegDecoder}) or PNG (ImageIO) bytes; throws
   * {@link UnreadableImageException} with the reason otherwise.
   */
  public static RgbImage decode(byte[] encoded) {
    if (encoded == null || encoded.length == 0) {
      throw new UnreadableImageException("empty image payload");
    }
    if (JpegDecoder.isJpeg(encoded)) {
      return JpegDecoder.decode(encoded);
    }
    BufferedImage image;
    try {
      image = ImageIO.read(new ByteArrayInputStream(encoded));
    } catch (IOException | RuntimeException e) {
      throw new UnreadableImageException("image bytes could not be decoded: " + e.getMessage());
    }
    if (image == null) {
      throw new UnreadableImageException("bytes are not a JPEG or PNG image (" + encoded.length + " bytes)");
    }
    return of(image);
  }

  public static RgbImage of(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    WritableRaster raster = image.getRaster();
    if (image.getType() == BufferedImage.TYPE_3BYTE_BGR && image.getColorModel().getColorSpace().isCS_sRGB()
        && raster.getDataBuffer() instanceof DataBufferByte bytes && bytes.getNumBanks() == 1
        && bytes.getData().length == w * h * 3 && bytes.getOffset() == 0 && raster.getParent() == null
        && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0
        && raster.getSampleModel() instanceof PixelInterleavedSampleModel sm && sm.getPixelStride() == 3
        && sm.getScanlineStride() == w * 3 && Arrays.equals(sm.getBandOffsets(), new int[] {2, 1, 0})) {
      // What ImageIO gives for a colour JPEG: the pixels as B, G, R bytes. Swapping them is what
      // getRGB would give (8-bit sRGB, no conversion), without a colour-model call per pixel.
      byte[] bgr = bytes.getData();
      byte[] rgb = new byte[bgr.length];
      for (int i = 0; i < bgr.length; i += 3) {
        rgb[i] = bgr[i + 2];
        rgb[i + 1] = bgr[i + 1];
        rgb[i + 2] = bgr[i];
      }
      return new RgbImage(w, h, rgb);
    }
    if (image.getType() == BufferedImage.TYPE_BYTE_GRAY && raster.getParent() == null
        && raster.getDataBuffer() instanceof DataBufferByte grey && grey.getNumBanks() == 1
        && grey.getData().length == w * h && grey.getOffset() == 0
        && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0) {
      // Grey pictures keep their stored (gamma-encoded) values in all three channels, as OpenCV,
      // TensorFlow's JPEG decoder and browsers show them. getRGB would treat them as linear light
      // and brighten them.
      byte[] y = grey.getData();
      byte[] rgb = new byte[w * h * 3];
      for (int i = 0, j = 0; i < y.length; i++) {
        rgb[j++] = y[i];
        rgb[j++] = y[i];
        rgb[j++] = y[i];
      }
      return new RgbImage(w, h, rgb);
    }
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    byte[] rgb = new byte[w * h * 3];
    for (int i = 0, j = 0; i < argb.length; i++) {
      int p = argb[i];
      rgb[j++] = (byte) (p >> 16);
      rgb[j++] = (byte) (p >> 8);
      rgb[j++] = (byte) p;
    }
    return new RgbImage(w, h, rgb);
  }

  public BufferedImage toBufferedImage() {
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] argb = new int[width * height];
    for (int i = 0, j = 0; i < argb.length; i++, j += 3) {
      argb[i] = ((rgb[j] & 0xff) << 16) | ((rgb[j + 1] & 0xff) << 8) | (rgb[j + 2] & 0xff);
    }
    out.setRGB(0, 0, width, height, argb, 0, width);
    return out;
  }

  /** Channel value 0..255 at pixel (x, y), channel c in 0..2. */
  public int at(int x, int y, int c) {
    return rgb[(y * width + x) * 3 + c] & 0xff;
  }

  /** Mean colour of the whole frame: the padding the Siamese papers use outside the image. */
  public float[] meanColour() {
    long r = 0;
    long g = 0;
    long b = 0;
    for (int j = 0; j < rgb.length; j += 3) {
      r += rgb[j] & 0xff;
      g += rgb[j + 1] & 0xff;
      b += rgb[j + 2] & 0xff;
    }
    double n = (double) width * height;
    return new float[] {(float) (r / n), (float) (g / n), (float) (b / n)};
  }
}
