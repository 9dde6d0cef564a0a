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
    Runs runs = pasteBack(mask, offset, maskSize, w, threshold);
    return outline(runs, w.x0, w.y0);
  }

  /**
   * The segmentation of the largest 8-connected region of foreground runs whose row 0, column 0
   * is frame pixel (x0, y0); null when there is no foreground.
   */
  static Segmentation outline(Runs runs, int x0, int y0) {
    int root = runs.largestRegion();
    if (root < 0) {
      return null;
    }
    int minX = Integer.MAX_VALUE;
    int maxX = -1;
    int minY = runs.row[root];
    int maxY = minY;
    for (int k = root; k < runs.count; k++) {
      if (runs.find(k) == root) {
        minX = Math.min(minX, runs.start[k]);
        maxX = Math.max(maxX, runs.end[k] - 1);
        maxY = runs.row[k];
      }
    }
    int rw = maxX - minX + 1;
    int rh = maxY - minY + 1;
    boolean[] bits = new boolean[rw * rh];
    int[] top = new int[rw];
    int[] bottom = new int[rw];
    Arrays.fill(top, -1);
    int[] left = new int[rh];
    int[] right = new int[rh];
    Arrays.fill(left, -1);
    for (int k = root; k < runs.count; k++) {
      if (runs.find(k) != root) {
        continue;
      }
      int y = runs.row[k] - minY;
      int s = runs.start[k] - minX;
      int e = runs.end[k] - minX;
      Arrays.fill(bits, y * rw + s, y * rw + e, true);
      if (left[y] < 0) {
        left[y] = s;
      }
      right[y] = e;
      for (int c = s; c < e; c++) {
        if (top[c] < 0) {
          top[c] = y;
        }
        bottom[c] = y;
      }
    }
    // outline points: the midpoints of the outer edges of each row's and each column's end
    // pixels; in an 8-connected region every row and column between its ends holds a pixel
    double[] xy = new double[(rh + rw) * 4];
    int n = 0;
    double ox = x0 + minX;
    double oy = y0 + minY;
    for (int y = 0; y < rh; y++) {
      xy[n++] = ox + left[y];
      xy[n++] = oy + y + 0.5;
      xy[n++] = ox + right[y];
      xy[n++] = oy + y + 0.5;
    }
    for (int c = 0; c < rw; c++) {
      xy[n++] = ox + c + 0.5;
      xy[n++] = oy + top[c];
      xy[n++] = ox + c + 0.5;
      xy[n++] = oy + bottom[c] + 1;
    }
    Box box = new Box(ox, oy, rw, rh);
    RotatedBox rotated = MinAreaRect.of(xy, n / 2);
    return new Segmentation(box, rotated, RleMask.encode(bits, x0 + minX, y0 + minY, rw, rh));
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

  /**
   * Thresholded bilinear paste-back of the crop mask into the window, as runs of foreground
   * pixels per row. Each frame row first blends its two mask rows (one pass over S values); then
   * the frame columns between two mask columns whose blended values lie on the same side of the
   * threshold are decided at once (a linear blend stays on that side), and only the columns
   * where the mask crosses the threshold are evaluated pixel by pixel.
   */
  private static Runs pasteBack(float[] mask, int offset, int s, Window w, float threshold) {
    // the window's columns grouped by the mask interval [k, k + 1] they sample (colIndex rises)
    int[] groupStart = new int[w.width + 1];
    int[] groupK = new int[w.width];
    int groups = 0;
    for (int i = 0; i < w.width; i++) {
      if (i == 0 || w.colIndex[i] != w.colIndex[i - 1]) {
        groupStart[groups] = i;
        groupK[groups++] = w.colIndex[i];
      }
    }
    groupStart[groups] = w.width;
    Runs runs = new Runs(w.height);
    float[] line = new float[s + 1];
    for (int j = 0; j < w.height; j++) {
      int r0 = offset + w.rowIndex[j] * s;
      int r1 = s == 1 ? r0 : r0 + s;
      float fy = w.rowFrac[j];
      for (int k = 0; k < s; k++) {
        line[k] = mask[r0 + k] + (mask[r1 + k] - mask[r0 + k]) * fy;
      }
      line[s] = line[s - 1];
      runs.startRow(j);
      int open = -1;
      for (int g = 0; g < groups; g++) {
        int k = groupK[g];
        float a = line[k];
        float b = line[k + 1];
        boolean aOn = a > threshold;
        if (aOn == b > threshold) {
          if (aOn && open < 0) {
            open = groupStart[g];
          } else if (!aOn && open >= 0) {
            runs.add(j, open, groupStart[g]);
            open = -1;
          }
          continue;
        }
        for (int i = groupStart[g]; i < groupStart[g + 1]; i++) {
          boolean on = a + (b - a) * w.colFrac[i] > threshold;
          if (on && open < 0) {
            open = i;
          } else if (!on && open >= 0) {
            runs.add(j, open, i);
            open = -1;
          }
        }
      }
      if (open >= 0) {
        runs.add(j, open, w.width);
      }
    }
    runs.finish();
    return runs;
  }
}
