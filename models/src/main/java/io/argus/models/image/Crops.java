package io.argus.models.image;

/**
 * Square crops around a point, resized for the network: the exemplar (template) and search
 * region crops of the Siamese trackers.
 *
 * <p>Coordinates are 0-based pixel coordinates in which pixel (i, j) covers [i, i+1) x [j, j+1),
 * so its centre is (i + 0.5, j + 0.5). A crop of side {@code side} centred at (cx, cy) covers
 * [cx - side/2, cx + side/2); output pixel k samples the source at the centre of its cell, with
 * bilinear interpolation. Samples outside the frame take {@code padColour} (the papers' mean
 * colour padding), so a target near the border still sits in the middle of its crop.
 */
public final class Crops {

  private Crops() {}

  /**
   * Side of the square exemplar region for a w x h target with the given context amount
   * (SiamFC / SiamRPN: p = context * (w + h), side = sqrt((w + p) * (h + p))).
   */
  public static double contextSide(double w, double h, double contextAmount) {
    double p = contextAmount * (w + h);
    return Math.sqrt((w + p) * (h + p));
  }

  /**
   * Writes an outSize x outSize x 3 float crop (RGB, 0..255, HWC) into dst starting at offset.
   */
  public static void cropAndResize(
      RgbImage image, double cx, double cy, double side, int outSize, float[] padColour, float[] dst, int offset) {
    if (!(side > 0) || !Double.isFinite(cx) || !Double.isFinite(cy)) {
      throw new IllegalArgumentException("crop needs a finite centre and positive side, got centre ("
          + cx + ", " + cy + ") side " + side);
    }
    double scale = side / outSize;
    double x0 = cx - side / 2;
    double y0 = cy - side / 2;
    int w = image.width();
    int h = image.height();
    byte[] rgb = image.rgb();
    int o = offset;
    for (int oy = 0; oy < outSize; oy++) {
      // source coordinate in "pixel centre" space: centre of pixel i is i
      double sy = y0 + (oy + 0.5) * scale - 0.5;
      int iy = (int) Math.floor(sy);
      float fy = (float) (sy - iy);
      for (int ox = 0; ox < outSize; ox++) {
        double sx = x0 + (ox + 0.5) * scale - 0.5;
        int ix = (int) Math.floor(sx);
        float fx = (float) (sx - ix);
        for (int c = 0; c < 3; c++) {
          float p00 = sample(rgb, w, h, ix, iy, c, padColour);
          float p10 = sample(rgb, w, h, ix + 1, iy, c, padColour);
          float p01 = sample(rgb, w, h, ix, iy + 1, c, padColour);
          float p11 = sample(rgb, w, h, ix + 1, iy + 1, c, padColour);
          float top = p00 + (p10 - p00) * fx;
          float bottom = p01 + (p11 - p01) * fx;
          dst[o++] = top + (bottom - top) * fy;
        }
      }
    }
  }

  /** Convenience for a single crop. */
  public static float[] cropAndResize(RgbImage image, double cx, double cy, double side, int outSize, float[] padColour) {
    float[] out = new float[outSize * outSize * 3];
    cropAndResize(image, cx, cy, side, outSize, padColour, out, 0);
    return out;
  }

  private static float sample(byte[] rgb, int w, int h, int x, int y, int c, float[] pad) {
    if (x < 0 || y < 0 || x >= w || y >= h) {
      return pad[c];
    }
    return rgb[(y * w + x) * 3 + c] & 0xff;
  }
}
