package io.argus.operators.core.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.image.Box;
import io.argus.models.image.Polygons;
import io.argus.models.image.RotatedBox;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MaskOutlineTest {

  @Test
  void oneMaskPixelPerFramePixelKeepsTheBlockWhereItIs() {
    // a 20 x 20 mask for a 20-pixel crop whose top-left is frame pixel (30, 40)
    float[] mask = new float[400];
    fill(mask, 20, 4, 3, 13, 7, 0.9f);
    Segmentation s = MaskOutline.fromCropMask(mask, 20, 40, 50, 20, 200, 100, 0.15f);
    assertThat(s.box()).isEqualTo(new Box(34, 43, 10, 5));
    RotatedBox r = s.rotatedBox();
    assertThat(r.cx()).isCloseTo(39, within(1e-9));
    assertThat(r.cy()).isCloseTo(45.5, within(1e-9));
    assertThat(r.width()).isCloseTo(10, within(1e-9));
    assertThat(r.height()).isCloseTo(5, within(1e-9));
    assertThat(r.angle()).isCloseTo(0, within(1e-9));
    assertThat(s.mask().x()).isEqualTo(34);
    assertThat(s.mask().y()).isEqualTo(43);
    assertThat(s.mask().counts()).containsExactly(0, 50);
  }

  @Test
  void aCoarseMaskScalesUpToItsCropAtThresholdOneHalf() {
    // 10 x 10 mask over a 40-pixel crop from (80, 80): mask pixel k covers frame [80 + 4k, 84 + 4k).
    // Mask columns 2..5 and rows 3..6 are 1: bilinear values cross 0.5 exactly at the block's edges.
    float[] mask = new float[100];
    fill(mask, 10, 2, 3, 5, 6, 1f);
    Segmentation s = MaskOutline.fromCropMask(mask, 10, 100, 100, 40, 640, 480, 0.5f);
    assertThat(s.box()).isEqualTo(new Box(88, 92, 16, 16));
    // bilinear rounds the corners: a corner pixel's centre is 0.625 of the way in on both axes,
    // 0.625^2 = 0.39 < 0.5, while its edge neighbours are 0.625
    assertThat(s.mask().area()).isEqualTo(256 - 4);
    boolean[] bits = s.mask().decode();
    assertThat(bits[0]).isFalse();
    assertThat(bits[1]).isTrue();
    assertThat(bits[15 * 16 + 15]).isFalse();
  }

  @Test
  void keepsTheLargestEightConnectedRegion() {
    float[] mask = new float[30 * 30];
    // a diagonal line of 6 pixels: one region under 8-connectivity, six under 4-connectivity
    for (int k = 0; k < 6; k++) {
      mask[(2 + k) * 30 + 2 + k] = 1;
    }
    // a 2 x 2 block elsewhere: smaller
    fill(mask, 30, 20, 20, 21, 21, 1);
    Segmentation s = MaskOutline.fromCropMask(mask, 30, 15, 15, 30, 30, 30, 0.15f);
    assertThat(s.box()).isEqualTo(new Box(2, 2, 6, 6));
    assertThat(s.mask().area()).isEqualTo(6);
    // its min-area rectangle lies along the diagonal through the outer edge midpoints, from
    // (0, 0.5) to (6, 5.5) along (1, 1): 11 / sqrt2 long, 1 / sqrt2 across
    assertThat(s.rotatedBox().angle()).isCloseTo(45, within(1e-6));
    assertThat(s.rotatedBox().width()).isCloseTo(11 / Math.sqrt(2), within(1e-6));
    assertThat(s.rotatedBox().height()).isCloseTo(1 / Math.sqrt(2), within(1e-6));
  }

  @Test
  void largestRegionMatchesAFloodFillOnRandomMasks() {
    SplittableRandom rng = new SplittableRandom(23);
    for (int trial = 0; trial < 200; trial++) {
      int size = 3 + rng.nextInt(30);
      float[] mask = new float[size * size];
      double p = 0.2 + 0.5 * rng.nextDouble();
      for (int k = 0; k < mask.length; k++) {
        mask[k] = rng.nextDouble() < p ? 1f : 0f;
      }
      // one mask pixel per frame pixel, crop top-left at frame (5, 7)
      Segmentation s = MaskOutline.fromCropMask(mask, size, 5 + size / 2.0, 7 + size / 2.0, size, 100, 100, 0.5f);
      boolean[] expected = floodFillLargest(mask, size);
      if (expected == null) {
        assertThat(s).isNull();
        continue;
      }
      RleMask m = s.mask();
      boolean[] got = m.decode();
      boolean[] placed = new boolean[size * size];
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          int fx = x + 5 - m.x();
          int fy = y + 7 - m.y();
          placed[y * size + x] = fx >= 0 && fy >= 0 && fx < m.width() && fy < m.height() && got[fy * m.width() + fx];
        }
      }
      assertThat(placed).as("trial %d", trial).isEqualTo(expected);
    }
  }

  @Test
  void foregroundIsStrictlyAboveTheThreshold() {
    float[] mask = new float[16];
    java.util.Arrays.fill(mask, 0.15f);
    assertThat(MaskOutline.fromCropMask(mask, 4, 10, 10, 4, 20, 20, 0.15f)).isNull();
    mask[5] = 0.16f;
    assertThat(MaskOutline.fromCropMask(mask, 4, 10, 10, 4, 20, 20, 0.15f).box()).isEqualTo(new Box(9, 9, 1, 1));
  }

  @Test
  void aCropHangingOverTheFrameEdgeIsClipped() {
    float[] mask = new float[64 * 64];
    java.util.Arrays.fill(mask, 1f);
    // crop [-40, 88) x [-10, 118) in a 50 x 60 frame
    Segmentation s = MaskOutline.fromCropMask(mask, 64, 24, 54, 128, 50, 60, 0.15f);
    assertThat(s.box()).isEqualTo(new Box(0, 0, 50, 60));
    assertThat(s.mask().counts()).containsExactly(0, 3000);
    assertThat(MaskOutline.fromCropMask(mask, 64, -500, 54, 128, 50, 60, 0.15f)).isNull();
  }

  @Test
  void pasteBackMatchesAnIndependentBilinearResampling() {
    SplittableRandom rng = new SplittableRandom(17);
    for (int trial = 0; trial < 20; trial++) {
      int size = 15 + rng.nextInt(50);
      // one smooth blob: a single region, so the kept region is the whole thresholded set
      float[] mask = new float[size * size];
      double bx = size * (0.3 + 0.4 * rng.nextDouble());
      double by = size * (0.3 + 0.4 * rng.nextDouble());
      double sx = size * (0.05 + 0.2 * rng.nextDouble());
      double sy = size * (0.05 + 0.2 * rng.nextDouble());
      for (int j = 0; j < size; j++) {
        for (int i = 0; i < size; i++) {
          double dx = (i - bx) / sx;
          double dy = (j - by) / sy;
          mask[j * size + i] = (float) Math.exp(-(dx * dx + dy * dy) / 2);
        }
      }
      int fw = 160;
      int fh = 120;
      double cx = 20 + 120 * rng.nextDouble();
      double cy = 20 + 80 * rng.nextDouble();
      double side = 30 + 100 * rng.nextDouble();
      float thr = 0.3f;
      Segmentation s = MaskOutline.fromCropMask(mask, size, cx, cy, side, fw, fh, thr);
      double[] value = new double[fw * fh];
      int count = 0;
      for (int y = 0; y < fh; y++) {
        for (int x = 0; x < fw; x++) {
          value[y * fw + x] = naiveValue(mask, size, cx, cy, side, x, y);
          count += value[y * fw + x] > thr ? 1 : 0;
        }
      }
      if (count == 0) {
        assertThat(s).isNull();
        continue;
      }
      RleMask m = s.mask();
      boolean[] got = m.decode();
      int wrong = 0;
      String first = null;
      for (int y = 0; y < fh; y++) {
        for (int x = 0; x < fw; x++) {
          double v = value[y * fw + x];
          if (Math.abs(v - thr) < 1e-4) {
            continue; // float and double may round either way this close to the threshold
          }
          boolean in = x >= m.x() && x < m.x() + m.width() && y >= m.y() && y < m.y() + m.height()
              && got[(y - m.y()) * m.width() + x - m.x()];
          if (in != v > thr) {
            wrong++;
            first = first == null ? "pixel (" + x + ", " + y + ") value " + v : first;
          }
        }
      }
      assertThat(wrong).as("trial %d, first: %s", trial, first).isZero();
    }
  }

  @Test
  void aRotatedBarGivesARotatedBoxThatFitsBetterThanTheAxisAlignedOne() {
    // an 80 x 20 bar at 35 degrees drawn into a 127 x 127 mask of a 254-pixel crop (2 frame
    // pixels a mask pixel: the drawn edge is up to a pixel off, and pixel corners stick out by up
    // to 0.7 of a pixel past a slanted edge, so a thin bar cannot score near 1)
    RotatedBox truth = new RotatedBox(200, 150, 80, 20, 35);
    int size = 127;
    double side = 254;
    float[] mask = new float[size * size];
    double rad = Math.toRadians(truth.angle());
    for (int j = 0; j < size; j++) {
      for (int i = 0; i < size; i++) {
        double dx = 200 - side / 2 + (i + 0.5) * 2 - truth.cx();
        double dy = 150 - side / 2 + (j + 0.5) * 2 - truth.cy();
        double u = dx * Math.cos(rad) + dy * Math.sin(rad);
        double v = -dx * Math.sin(rad) + dy * Math.cos(rad);
        mask[j * size + i] = Math.abs(u) <= 40 && Math.abs(v) <= 10 ? 1f : 0f;
      }
    }
    // threshold one half: the edge of the upsampled bar stays where it was drawn (at pysot's 0.15
    // a thin bar grows by most of a mask pixel on each side)
    Segmentation s = MaskOutline.fromCropMask(mask, size, 200, 150, side, 400, 300, 0.5f);
    double rotatedIou = s.rotatedBox().iou(truth);
    double axisIou = Polygons.iou(Polygons.of(s.box()), truth.corners());
    assertThat(rotatedIou).isGreaterThan(0.85);
    assertThat(axisIou).isLessThan(0.4);
    assertThat(s.rotatedBox().angle()).isCloseTo(35, within(3.0));
  }

  @Test
  void readsOneItemOfABatchedOutput() {
    float[] one = new float[400];
    fill(one, 20, 4, 3, 13, 7, 0.9f);
    float[] batch = new float[1200];
    System.arraycopy(one, 0, batch, 400, 400);
    assertThat(MaskOutline.fromCropMask(batch, 400, 20, 40, 50, 20, 200, 100, 0.15f))
        .isEqualTo(MaskOutline.fromCropMask(one, 20, 40, 50, 20, 200, 100, 0.15f));
  }

  @Test
  void refusesMalformedInput() {
    assertThatThrownBy(() -> MaskOutline.fromCropMask(new float[10], 4, 0, 0, 4, 10, 10, 0.1f))
        .hasMessageContaining("needs 16 floats, got 10");
    assertThatThrownBy(() -> MaskOutline.fromCropMask(new float[16], 4, 0, 0, 0, 10, 10, 0.1f))
        .hasMessageContaining("positive side");
    assertThatThrownBy(() -> MaskOutline.fromCropMask(new float[16], 4, 0, 0, 4, 0, 10, 0.1f))
        .hasMessageContaining("frame size");
    assertThatThrownBy(() -> MaskOutline.fromCropMask(new float[16], 4, 0, 0, 4, 10, 10, Float.NaN))
        .hasMessageContaining("threshold");
  }

  /** Largest 8-connected set of ones by breadth-first flood fill (first in raster order on a tie). */
  private static boolean[] floodFillLargest(float[] mask, int size) {
    int[] label = new int[size * size];
    int best = 0;
    int bestSize = 0;
    int next = 0;
    for (int start = 0; start < mask.length; start++) {
      if (mask[start] == 0 || label[start] != 0) {
        continue;
      }
      next++;
      java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
      queue.add(start);
      label[start] = next;
      int n = 0;
      while (!queue.isEmpty()) {
        int q = queue.poll();
        n++;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int x = q % size + dx;
            int y = q / size + dy;
            if (x >= 0 && y >= 0 && x < size && y < size && mask[y * size + x] != 0 && label[y * size + x] == 0) {
              label[y * size + x] = next;
              queue.add(y * size + x);
            }
          }
        }
      }
      if (n > bestSize) {
        bestSize = n;
        best = next;
      }
    }
    if (best == 0) {
      return null;
    }
    boolean[] out = new boolean[mask.length];
    for (int k = 0; k < out.length; k++) {
      out[k] = label[k] == best;
    }
    return out;
  }

  private static void fill(float[] mask, int size, int c0, int r0, int c1, int r1, float v) {
    for (int r = r0; r <= r1; r++) {
      for (int c = c0; c <= c1; c++) {
        mask[r * size + c] = v;
      }
    }
  }

  /** The mask's value at frame pixel (x, y), written from the definition, in double precision. */
  private static double naiveValue(float[] mask, int size, double cx, double cy, double side, int x, int y) {
    double left = cx - side / 2;
    double top = cy - side / 2;
    double px = x + 0.5;
    double py = y + 0.5;
    if (px < left || px >= left + side || py < top || py >= top + side) {
      return 0;
    }
    double u = Math.min(size - 1, Math.max(0, (px - left) / side * size - 0.5));
    double v = Math.min(size - 1, Math.max(0, (py - top) / side * size - 0.5));
    int u0 = (int) Math.floor(u);
    int v0 = (int) Math.floor(v);
    int u1 = Math.min(size - 1, u0 + 1);
    int v1 = Math.min(size - 1, v0 + 1);
    double a = u - u0;
    double b = v - v0;
    return (1 - a) * (1 - b) * mask[v0 * size + u0] + a * (1 - b) * mask[v0 * size + u1]
        + (1 - a) * b * mask[v1 * size + u0] + a * b * mask[v1 * size + u1];
  }
}
