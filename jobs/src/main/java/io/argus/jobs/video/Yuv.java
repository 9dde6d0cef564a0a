package io.argus.jobs.video;

import io.argus.models.image.RgbImage;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rect;

/**
 * YUV 4:2:0 to and from RGB with the BT.601 studio-range matrix (Y 16..235, Cb/Cr 16..240), the
 * convention of SD MPEG-4 Part 2 and of an H.264 stream that carries no colour description. JCodec
 * stores every sample as {@code value - 128} in a signed byte; these conversions do that shift.
 */
public final class Yuv {

  private Yuv() {}

  /** The visible (cropped) part of a decoded 4:2:0 picture as RGB; chroma is repeated over its 2x2 block. */
  public static RgbImage toRgb(Picture p) {
    if (p.getColor() != ColorSpace.YUV420 && p.getColor() != ColorSpace.YUV420J) {
      throw new IllegalArgumentException("expected a YUV 4:2:0 picture, got " + p.getColor());
    }
    Rect crop = p.getCrop();
    int x0 = crop == null ? 0 : crop.getX();
    int y0 = crop == null ? 0 : crop.getY();
    int w = crop == null ? p.getWidth() : crop.getWidth();
    int h = crop == null ? p.getHeight() : crop.getHeight();
    byte[] ys = p.getPlaneData(0);
    byte[] us = p.getPlaneData(1);
    byte[] vs = p.getPlaneData(2);
    int yStride = p.getPlaneWidth(0);
    int cStride = p.getPlaneWidth(1);
    byte[] rgb = new byte[w * h * 3];
    int o = 0;
    for (int y = 0; y < h; y++) {
      int yRow = (y0 + y) * yStride + x0;
      int cRow = ((y0 + y) >> 1) * cStride;
      for (int x = 0; x < w; x++) {
        int c = 298 * (ys[yRow + x] + 128 - 16);
        int ci = cRow + ((x0 + x) >> 1);
        int d = us[ci]; // U - 128
        int e = vs[ci]; // V - 128
        rgb[o++] = clamp((c + 409 * e + 128) >> 8);
        rgb[o++] = clamp((c - 100 * d - 208 * e + 128) >> 8);
        rgb[o++] = clamp((c + 516 * d + 128) >> 8);
      }
    }
    return new RgbImage(w, h, rgb);
  }

  /**
   * A 4:2:0 picture of packed RGB pixels ({@code 0xRRGGBB}, row-major), padded to whole 16x16
   * macroblocks by repeating the last column and row, with the visible size as its crop. The
   * colour space says YUV420J because that is the only one JCodec's H.264 encoder accepts; the
   * samples are studio range, which is what a player assumes for a stream without a colour
   * description (JCodec writes none).
   */
  public static Picture fromRgb(int[] rgb, int width, int height) {
    if (rgb.length < width * height) {
      throw new IllegalArgumentException("expected " + width * height + " pixels, got " + rgb.length);
    }
    int pw = (width + 15) & ~15;
    int ph = (height + 15) & ~15;
    Picture p = Picture.createCropped(pw, ph, ColorSpace.YUV420J, new Rect(0, 0, width, height));
    byte[] ys = p.getPlaneData(0);
    byte[] us = p.getPlaneData(1);
    byte[] vs = p.getPlaneData(2);
    int cw = pw >> 1;
    for (int y = 0; y < ph; y++) {
      int sy = Math.min(y, height - 1) * width;
      for (int x = 0; x < pw; x++) {
        int px = rgb[sy + Math.min(x, width - 1)];
        int r = (px >> 16) & 0xff;
        int g = (px >> 8) & 0xff;
        int b = px & 0xff;
        ys[y * pw + x] = (byte) (((66 * r + 129 * g + 25 * b + 128) >> 8) + 16 - 128);
      }
    }
    for (int cy = 0; cy < ph >> 1; cy++) {
      for (int cx = 0; cx < cw; cx++) {
        int r = 0;
        int g = 0;
        int b = 0;
        for (int k = 0; k < 4; k++) {
          int sx = Math.min(2 * cx + (k & 1), width - 1);
          int sy = Math.min(2 * cy + (k >> 1), height - 1);
          int px = rgb[sy * width + sx];
          r += (px >> 16) & 0xff;
          g += (px >> 8) & 0xff;
          b += px & 0xff;
        }
        // sums of four samples: the >> 10 divides by 4 and by the matrix's 256
        us[cy * cw + cx] = (byte) ((-38 * r - 74 * g + 112 * b + 512) >> 10);
        vs[cy * cw + cx] = (byte) ((112 * r - 94 * g - 18 * b + 512) >> 10);
      }
    }
    return p;
  }

  private static byte clamp(int v) {
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }
}
