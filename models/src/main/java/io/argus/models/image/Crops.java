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
    // Bilinear = a horizontal blend on the two source rows around the sample, then a vertical
    // blend between them. The horizontal blend of a source row is the same for every output row
    // that reads it (an upscaled crop reads each source row two or three times), so each blended
    // row is made once and reused. Every value is the per-pixel formula's, operation for
    // operation: top = p00 + (p10 - p00) fx, bottom likewise, out = top + (bottom - top) fy.
    int[] ixs = new int[outSize];
    float[] fxs = new float[outSize];
    for (int ox = 0; ox < outSize; ox++) {
      // source coordinate in "pixel centre" space: centre of pixel i is i
      double sx = x0 + (ox + 0.5) * scale - 0.5;
      int ix = (int) Math.floor(sx);
      ixs[ox] = ix;
      fxs[ox] = (float) (sx - ix);
    }
    int rowFloats = outSize * 3;
    float[] upper = new float[rowFloats];
    float[] lower = new float[rowFloats];
    int upperY = Integer.MIN_VALUE;
    int lowerY = Integer.MIN_VALUE;
    int o = offset;
    for (int oy = 0; oy < outSize; oy++) {
      double sy = y0 + (oy + 0.5) * scale - 0.5;
      int iy = (int) Math.floor(sy);
      float fy = (float) (sy - iy);
      if (upperY != iy) {
        if (lowerY == iy) {
          float[] t = upper;
          upper = lower;
          lower = t;
          upperY = iy;
          lowerY = Integer.MIN_VALUE;
        } else {
          blendRow(image, iy, ixs, fxs, padColour, upper);
          upperY = iy;
        }
      }
      if (lowerY != iy + 1) {
        blendRow(image, iy + 1, ixs, fxs, padColour, lower);
        lowerY = iy + 1;
      }
      for (int i = 0; i < rowFloats; i++) {
        float top = upper[i];
        dst[o++] = top + (lower[i] - top) * fy;
      }
    }
  }

  /** The horizontal blend of source row y at every output column: p(ix) + (p(ix + 1) - p(ix)) fx. */
  private static void blendRow(RgbImage image, int y, int[] ixs, float[] fxs, float[] pad, float[] out) {
    int w = image.width();
    int h = image.height();
    byte[] rgb = image.rgb();
    int n = ixs.length;
    // ix grows with the column, so the columns whose two samples lie inside the frame are one run
    int from = 0;
    int to = n;
    if (y < 0 || y >= h) {
      from = n;
    } else {
      while (from < n && ixs[from] < 0) {
        from++;
      }
      while (to > from && ixs[to - 1] + 1 >= w) {
        to--;
      }
    }
    for (int ox = 0; ox < from; ox++) {
      blendPadded(rgb, w, h, y, ixs[ox], fxs[ox], pad, out, 3 * ox);
    }
    int row = y * w * 3;
    for (int ox = from, k = 3 * from; ox < to; ox++, k += 3) {
      int a = row + ixs[ox] * 3;
      float fx = fxs[ox];
      float r0 = rgb[a] & 0xff;
      float g0 = rgb[a + 1] & 0xff;
      float b0 = rgb[a + 2] & 0xff;
      float r1 = rgb[a + 3] & 0xff;
      float g1 = rgb[a + 4] & 0xff;
      float b1 = rgb[a + 5] & 0xff;
      out[k] = r0 + (r1 - r0) * fx;
      out[k + 1] = g0 + (g1 - g0) * fx;
      out[k + 2] = b0 + (b1 - b0) * fx;
    }
    for (int ox = Math.max(from, to); ox < n; ox++) {
      blendPadded(rgb, w, h, y, ixs[ox], fxs[ox], pad, out, 3 * ox);
    }
  }

  private static void blendPadded(byte[] rgb, int w, int h, int y, int ix, float fx, float[] pad, float[] out, int k) {
    for (int c = 0; c < 3; c++) {
      float p0 = sample(rgb, w, h, ix, y, c, pad);
      float p1 = sample(rgb, w, h, ix + 1, y, c, pad);
      out[k + c] = p0 + (p1 - p0) * fx;
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
