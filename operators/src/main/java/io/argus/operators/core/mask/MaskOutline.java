package io.argus.operators.core.mask;

import io.argus.models.image.Box;
import io.argus.models.image.RotatedBox;
import java.util.Arrays;

/**
 * SiamMask's mask post-processing (pysot {@code SiamMaskTracker}: crop back, threshold, largest
 * contour, {@code minAreaRect}) done in Java, per target per frame.
 *
 * <p>Geometry as {@link io.argus.models.image.Crops#cropAndResize}: a crop of side {@code side}
 * centred at (cx, cy) covers [cx - side/2, cx + side/2) in frame pixels, and mask pixel k covers
 * [k, k + 1) of the S x S mask grid. Frame pixel (x, y) takes the mask's bilinear value at its
 * centre (x + 0.5, y + 0.5) mapped into the grid, clamped to the outermost mask samples for
 * centres inside the crop; pixels whose centre lies outside the crop are background (pysot's
 * {@code warpAffine} with a constant 0 border differs from this only in the outer half-pixel
 * of the mask).
 *
 * <p>A pixel is foreground when its value is strictly above the threshold (pysot: {@code mask >
 * 0.15}). The largest 8-connected region of foreground pixels is kept (OpenCV's contours trace
 * 8-connected regions; holes inside it stay holes in the mask).
 *
 * <p>The axis-aligned box bounds the region's pixel squares: a 10 x 4 block of pixels gives a
 * 10 x 4 box, not 9 x 3. The rotated box is the min-area rectangle of the midpoints of the
 * region's outer pixel edges (the left and right edge midpoints of every row's end pixels, the
 * top and bottom ones of every column's): the same 10 x 4 for an axis-aligned block, while past a
 * slanted edge these midpoints stick out at most about 0.35 pixel where pixel corners would
 * stick out 0.7 and pixel centres would fall short (OpenCV's contours are pixel centres).
 */
public final class MaskOutline {

  /** pysot's {@code TRACK.MASK_THERSHOLD} for siammask_r50_l3. */
  public static final float DEFAULT_THRESHOLD = 0.15f;

  private MaskOutline() {}

  /** As {@link #fromCropMask(float[], int, int, double, double, double, int, int, float)} at offset 0. */
  public static Segmentation fromCropMask(float[] mask, int maskSize, double cx, double cy, double side,
      int frameWidth, int frameHeight, float threshold) {
    return fromCropMask(mask, 0, maskSize, cx, cy, side, frameWidth, frameHeight, threshold);
  }

  /**
   * The target's segmentation in the frame from a crop-space mask of probabilities.
   *
   * @param mask probabilities (0..1), row-major maskSize x maskSize from {@code offset} (one item of
   *     a batched output)
   * @param cx crop centre x in frame pixels
   * @param cy crop centre y
   * @param side crop side in frame pixels
   * @param threshold foreground when strictly above it ({@link #DEFAULT_THRESHOLD})
   * @return the largest region above the threshold, or null when no frame pixel passes it
   */
  public static Segmentation fromCropMask(float[] mask, int offset, int maskSize, double cx, double cy,
      double side, int frameWidth, int frameHeight, float threshold) {
    if (maskSize < 1 || offset < 0 || mask.length < offset + (long) maskSize * maskSize) {
      throw new IllegalArgumentException("a " + maskSize + "x" + maskSize + " mask at offset " + offset + " needs "
          + ((long) offset + (long) maskSize * maskSize) + " floats, got " + mask.length);
    }
    if (!(side > 0) || !Double.isFinite(side) || !Double.isFinite(cx) || !Double.isFinite(cy)) {
      throw new IllegalArgumentException("the mask's crop needs a finite centre and positive side, got centre ("
          + cx + ", " + cy + ") side " + side);
    }
    if (frameWidth < 1 || frameHeight < 1) {
      throw new IllegalArgumentException("frame size must be positive, got " + frameWidth + "x" + frameHeight);
    }
    if (!Float.isFinite(threshold)) {
      throw new IllegalArgumentException("mask threshold must be finite, got " + threshold);
    }
    Window w = Window.of(cx, cy, side, maskSize, frameWidth, frameHeight);
    if (w == null) {
      return null;
    }
    byte[] fg = pasteBack(mask, offset, maskSize, w, threshold);
    return outline(fg, w.x0, w.y0, w.width, w.height);
  }

  /**
   * The segmentation of the largest 8-connected foreground region of a bitmap (row-major, 1 =
   * foreground) whose top-left pixel is frame pixel (x0, y0); null when it has no foreground.
   */
  static Segmentation outline(byte[] fg, int x0, int y0, int width, int height) {
    Region r = largestRegion(fg, width, height);
    if (r == null) {
      return null;
    }
    int rw = r.maxX - r.minX + 1;
    int rh = r.maxY - r.minY + 1;
    boolean[] bits = new boolean[rw * rh];
    int[] top = new int[rw];
    int[] bottom = new int[rw];
    Arrays.fill(top, -1);
    // outline points: the midpoints of the outer edges of each row's and each column's end pixels
    double[] xy = new double[(rh + rw) * 4];
    int n = 0;
    for (int y = r.minY; y <= r.maxY; y++) {
      int left = -1;
      int right = -1;
      for (int x = r.minX, i = y * width + r.minX; x <= r.maxX; x++, i++) {
        if (r.labels[i] == r.label) {
          bits[(y - r.minY) * rw + x - r.minX] = true;
          if (left < 0) {
            left = x;
          }
          right = x;
          if (top[x - r.minX] < 0) {
            top[x - r.minX] = y;
          }
          bottom[x - r.minX] = y;
        }
      }
      // 8-connected region: every row and column between its ends holds one of its pixels
      xy[n++] = x0 + left;
      xy[n++] = y0 + y + 0.5;
      xy[n++] = x0 + right + 1;
      xy[n++] = y0 + y + 0.5;
    }
    for (int c = 0; c < rw; c++) {
      xy[n++] = x0 + r.minX + c + 0.5;
      xy[n++] = y0 + top[c];
      xy[n++] = x0 + r.minX + c + 0.5;
      xy[n++] = y0 + bottom[c] + 1;
    }
    Box box = new Box(x0 + r.minX, y0 + r.minY, rw, rh);
    RotatedBox rotated = MinAreaRect.of(xy, n / 2);
    return new Segmentation(box, rotated, RleMask.encode(bits, x0 + r.minX, y0 + r.minY, rw, rh));
  }

  /** Frame pixels whose centres lie inside the crop, clipped to the frame, and their mask coordinates. */
  private record Window(int x0, int y0, int width, int height, int[] colIndex, float[] colFrac, int[] rowIndex,
      float[] rowFrac) {

    static Window of(double cx, double cy, double side, int maskSize, int frameWidth, int frameHeight) {
      double left = cx - side / 2;
      double top = cy - side / 2;
      // pixel x is inside when left <= x + 0.5 < left + side
      int xa = Math.max(0, (int) Math.ceil(left - 0.5));
      int xb = Math.min(frameWidth - 1, (int) Math.ceil(left + side - 0.5) - 1);
      int ya = Math.max(0, (int) Math.ceil(top - 0.5));
      int yb = Math.min(frameHeight - 1, (int) Math.ceil(top + side - 0.5) - 1);
      if (xa > xb || ya > yb) {
        return null;
      }
      int w = xb - xa + 1;
      int h = yb - ya + 1;
      int[] ci = new int[w];
      float[] cf = new float[w];
      int[] ri = new int[h];
      float[] rf = new float[h];
      double scale = maskSize / side;
      for (int i = 0; i < w; i++) {
        sample((xa + i + 0.5 - left) * scale - 0.5, maskSize, ci, cf, i);
      }
      for (int j = 0; j < h; j++) {
        sample((ya + j + 0.5 - top) * scale - 0.5, maskSize, ri, rf, j);
      }
      return new Window(xa, ya, w, h, ci, cf, ri, rf);
    }

    /** Bilinear weights at mask coordinate u (mask pixel k's centre at k), clamped to the grid. */
    private static void sample(double u, int size, int[] index, float[] frac, int at) {
      double c = Math.max(0, Math.min(size - 1, u));
      int k = Math.min(size - 2, (int) Math.floor(c));
      if (k < 0) {
        // a 1x1 mask: one value everywhere
        index[at] = 0;
        frac[at] = 0;
        return;
      }
      index[at] = k;
      frac[at] = (float) (c - k);
    }
  }

  /** Thresholded bilinear paste-back of the crop mask into the window (1 = foreground). */
  private static byte[] pasteBack(float[] mask, int offset, int s, Window w, float threshold) {
    byte[] fg = new byte[w.width * w.height];
    boolean single = s == 1;
    for (int j = 0, p = 0; j < w.height; j++) {
      int r0 = offset + w.rowIndex[j] * s;
      int r1 = single ? r0 : r0 + s;
      float fy = w.rowFrac[j];
      for (int i = 0; i < w.width; i++, p++) {
        int c0 = w.colIndex[i];
        int c1 = single ? c0 : c0 + 1;
        float fx = w.colFrac[i];
        float top = mask[r0 + c0] + (mask[r0 + c1] - mask[r0 + c0]) * fx;
        float bottom = mask[r1 + c0] + (mask[r1 + c1] - mask[r1 + c0]) * fx;
        if (top + (bottom - top) * fy > threshold) {
          fg[p] = 1;
        }
      }
    }
    return fg;
  }

  /** One labelled region: its label in {@code labels} and its pixel bounds. */
  record Region(int[] labels, int label, int minX, int minY, int maxX, int maxY) {}

  /** The 8-connected foreground region with the most pixels (the first found on a tie); null if none. */
  static Region largestRegion(byte[] fg, int width, int height) {
    int[] labels = new int[fg.length];
    int[] queue = new int[fg.length];
    int next = 0;
    int bestLabel = 0;
    int bestSize = 0;
    int[] bestBounds = new int[4];
    for (int start = 0; start < fg.length; start++) {
      if (fg[start] == 0 || labels[start] != 0) {
        continue;
      }
      int label = ++next;
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      labels[start] = label;
      int minX = width;
      int minY = height;
      int maxX = -1;
      int maxY = -1;
      while (head < tail) {
        int p = queue[head++];
        int px = p % width;
        int py = p / width;
        minX = Math.min(minX, px);
        maxX = Math.max(maxX, px);
        minY = Math.min(minY, py);
        maxY = Math.max(maxY, py);
        for (int dy = -1; dy <= 1; dy++) {
          int ny = py + dy;
          if (ny < 0 || ny >= height) {
            continue;
          }
          for (int dx = -1; dx <= 1; dx++) {
            int nx = px + dx;
            if (nx < 0 || nx >= width) {
              continue;
            }
            int q = ny * width + nx;
            if (fg[q] != 0 && labels[q] == 0) {
              labels[q] = label;
              queue[tail++] = q;
            }
          }
        }
      }
      if (tail > bestSize) {
        bestSize = tail;
        bestLabel = label;
        bestBounds = new int[] {minX, minY, maxX, maxY};
      }
    }
    if (bestLabel == 0) {
      return null;
    }
    return new Region(labels, bestLabel, bestBounds[0], bestBounds[1], bestBounds[2], bestBounds[3]);
  }
}
