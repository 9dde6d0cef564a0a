package io.argus.operators.core;

import java.util.Arrays;

/**
 * SiamRPN's anchors over the score map, as pysot generates them ({@code utils/anchor.py} Anchors
 * and {@code SiamRPNTracker.generate_anchor}): at every score-map position one anchor per
 * (ratio, scale), centred on the position's offset from the search-crop centre, in search-crop
 * pixels.
 *
 * <p>Base shapes: for ratio r (height / width) {@code ws = int(sqrt(stride^2 / r))},
 * {@code hs = int(ws * r)}, then times each scale, so stride 8, ratios [0.33, 0.5, 1, 2, 3], scale 8
 * give 104x32, 88x40, 64x64, 40x80, 32x96. Positions: column c, row r sit at
 * {@code (ori + c * stride, ori + r * stride)} with {@code ori = -(S / 2) * stride} (integer S / 2,
 * so position S / 2 is the crop centre for odd S). Order: anchor-major, then row, then column:
 * index {@code i = a * S * S + r * S + c}, pysot's order, in which its cls and loc maps are
 * flattened too.
 */
public final class Anchors {

  /** pysot's ANCHOR.RATIOS (height / width). */
  public static final double[] PYSOT_RATIOS = {0.33, 0.5, 1, 2, 3};

  private final int scoreSize;
  private final int count;
  private final float[] cx;
  private final float[] cy;
  private final float[] w;
  private final float[] h;

  private Anchors(int scoreSize, int count, float[] cx, float[] cy, float[] w, float[] h) {
    this.scoreSize = scoreSize;
    this.count = count;
    this.cx = cx;
    this.cy = cy;
    this.w = w;
    this.h = h;
  }

  /**
   * Anchor width and height per (ratio, scale), ratio-major as pysot's loop: [count][2].
   */
  public static double[][] baseShapes(int stride, double[] ratios, double[] scales) {
    double[][] out = new double[ratios.length * scales.length][];
    int size = stride * stride;
    int k = 0;
    for (double r : ratios) {
      int ws = (int) Math.sqrt(size / r);
      int hs = (int) (ws * r);
      for (double s : scales) {
        out[k++] = new double[] {ws * s, hs * s};
      }
    }
    return out;
  }

  public static Anchors generate(int stride, double[] ratios, double[] scales, int scoreSize) {
    if (stride < 1 || scoreSize < 1 || ratios.length == 0 || scales.length == 0) {
      throw new IllegalArgumentException("anchors need a positive stride and score size and at least one ratio and"
          + " scale, got stride " + stride + ", score size " + scoreSize + ", ratios " + Arrays.toString(ratios)
          + ", scales " + Arrays.toString(scales));
    }
    double[][] base = baseShapes(stride, ratios, scales);
    int count = base.length;
    int n = count * scoreSize * scoreSize;
    float[] cx = new float[n];
    float[] cy = new float[n];
    float[] w = new float[n];
    float[] h = new float[n];
    int ori = -(scoreSize / 2) * stride;
    for (int a = 0; a < count; a++) {
      for (int r = 0; r < scoreSize; r++) {
        for (int c = 0; c < scoreSize; c++) {
          int i = (a * scoreSize + r) * scoreSize + c;
          cx[i] = ori + c * stride;
          cy[i] = ori + r * stride;
          w[i] = (float) base[a][0];
          h[i] = (float) base[a][1];
        }
      }
    }
    return new Anchors(scoreSize, count, cx, cy, w, h);
  }

  /** Anchors per position (k). */
  public int count() {
    return count;
  }

  public int scoreSize() {
    return scoreSize;
  }

  /** All anchors: count x scoreSize x scoreSize. */
  public int size() {
    return cx.length;
  }

  public double cx(int i) {
    return cx[i];
  }

  public double cy(int i) {
    return cy[i];
  }

  public double width(int i) {
    return w[i];
  }

  public double height(int i) {
    return h[i];
  }

  /** Which anchor shape (0 .. count - 1) index i has. */
  public int anchorOf(int i) {
    return i / (scoreSize * scoreSize);
  }

  /** Row-major score-map position (row * scoreSize + column) of index i. */
  public int positionOf(int i) {
    return i % (scoreSize * scoreSize);
  }

  /**
   * pysot's {@code _convert_bbox} for one anchor: {@code (dx w + x, dy h + y, exp(dw) w, exp(dh) h)},
   * centre x, centre y, width, height in search-crop pixels from the crop centre.
   */
  public double[] decode(int i, double dx, double dy, double dw, double dh) {
    return new double[] {dx * w[i] + cx[i], dy * h[i] + cy[i], Math.exp(dw) * w[i], Math.exp(dh) * h[i]};
  }
}
