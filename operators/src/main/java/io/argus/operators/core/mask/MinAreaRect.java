package io.argus.operators.core.mask;

import io.argus.models.image.Point;
import io.argus.models.image.RotatedBox;
import java.util.Arrays;
import java.util.List;

/**
 * The minimum-area rotated rectangle holding a point set (OpenCV's {@code minAreaRect}, which
 * SiamMask applies to its mask's outline): the convex hull by Andrew's monotone chain, then
 * rotating calipers, since the best rectangle has one side on a hull edge (Freeman and Shapira).
 */
public final class MinAreaRect {

  private MinAreaRect() {}

  /**
   * The smallest rectangle holding the points, with its angle in [0, 90) (see {@link
   * RotatedBox#normalised()}). One distinct point gives a box of size 0x0 at it; collinear points
   * give a box of height or width 0 along the segment.
   *
   * @throws IllegalArgumentException when there are no points or one is not finite
   */
  public static RotatedBox of(List<Point> points) {
    double[] xy = new double[points.size() * 2];
    for (int i = 0; i < points.size(); i++) {
      xy[2 * i] = points.get(i).x();
      xy[2 * i + 1] = points.get(i).y();
    }
    return of(xy, points.size());
  }

  /** As {@link #of(List)}, with the first n points interleaved x0, y0, x1, y1, ... (not modified). */
  public static RotatedBox of(double[] xy, int n) {
    double[] h = convexHull(xy, n);
    int m = h.length / 2;
    if (m == 1) {
      return new RotatedBox(h[0], h[1], 0, 0, 0);
    }
    if (m == 2) {
      double dx = h[2] - h[0];
      double dy = h[3] - h[1];
      return new RotatedBox((h[0] + h[2]) / 2, (h[1] + h[3]) / 2, Math.hypot(dx, dy), 0,
          Math.toDegrees(Math.atan2(dy, dx))).normalised();
    }
    return calipers(h, m);
  }

  /**
   * The convex hull of the first n interleaved points, without repeated or collinear vertices,
   * as interleaved coordinates turning from +x towards +y (positive shoelace area); one or two
   * points when all points coincide or lie on a line.
   */
  public static double[] convexHull(double[] xy, int n) {
    if (n < 1 || xy.length < 2 * n) {
      throw new IllegalArgumentException("a hull needs at least one point and 2n coordinates, got n=" + n
          + " with " + xy.length + " coordinates");
    }
    int[] order = sortedOrder(xy, n);
    double[] hull = new double[4 * n + 4];
    int k = 0;
    // lower hull left to right, then upper hull right to left; cross <= 0 drops collinear points
    for (int s = 0; s < n; s++) {
      int i = order[s];
      double x = xy[2 * i];
      double y = xy[2 * i + 1];
      while (k >= 2 && cross(hull, k - 2, k - 1, x, y) <= 0) {
        k--;
      }
      hull[2 * k] = x;
      hull[2 * k + 1] = y;
      k++;
    }
    int lower = k + 1;
    for (int s = n - 2; s >= 0; s--) {
      int i = order[s];
      double x = xy[2 * i];
      double y = xy[2 * i + 1];
      while (k >= lower && cross(hull, k - 2, k - 1, x, y) <= 0) {
        k--;
      }
      hull[2 * k] = x;
      hull[2 * k + 1] = y;
      k++;
    }
    // the last point repeats the first; all points equal leaves a lone point (twice)
    int m = Math.max(1, k - 1);
    if (m == 2 && hull[0] == hull[2] && hull[1] == hull[3]) {
      m = 1;
    }
    return Arrays.copyOf(hull, 2 * m);
  }

  private static RotatedBox calipers(double[] h, int m) {
    double bestArea = Double.POSITIVE_INFINITY;
    RotatedBox best = null;
    int r = 0;
    int t = 0;
    int l = 0;
    for (int i = 0; i < m; i++) {
      int i1 = (i + 1) % m;
      double len = Math.hypot(h[2 * i1] - h[2 * i], h[2 * i1 + 1] - h[2 * i + 1]);
      double ux = (h[2 * i1] - h[2 * i]) / len;
      double uy = (h[2 * i1 + 1] - h[2 * i + 1]) / len;
      // r: farthest along u; t: farthest along the inward normal (-uy, ux); l: farthest against u.
      // Each only moves forward around the hull as the edge turns, so the whole sweep is O(m).
      if (i == 0) {
        r = 0;
      }
      while (along(h, m, r, ux, uy) > 0) {
        r = (r + 1) % m;
      }
      if (i == 0) {
        t = r;
      }
      while (across(h, m, t, ux, uy) > 0) {
        t = (t + 1) % m;
      }
      if (i == 0) {
        l = t;
      }
      while (along(h, m, l, ux, uy) < 0) {
        l = (l + 1) % m;
      }
      double minU = (h[2 * l] - h[2 * i]) * ux + (h[2 * l + 1] - h[2 * i + 1]) * uy;
      double maxU = (h[2 * r] - h[2 * i]) * ux + (h[2 * r + 1] - h[2 * i + 1]) * uy;
      double maxN = -(h[2 * t] - h[2 * i]) * uy + (h[2 * t + 1] - h[2 * i + 1]) * ux;
      double area = (maxU - minU) * maxN;
      if (area < bestArea) {
        bestArea = area;
        double midU = (minU + maxU) / 2;
        double cx = h[2 * i] + ux * midU - uy * maxN / 2;
        double cy = h[2 * i + 1] + uy * midU + ux * maxN / 2;
        best = new RotatedBox(cx, cy, maxU - minU, maxN, Math.toDegrees(Math.atan2(uy, ux)));
      }
    }
    return best.normalised();
  }

  /** Projection on u of the hull edge leaving vertex j. */
  private static double along(double[] h, int m, int j, double ux, double uy) {
    int j1 = (j + 1) % m;
    return (h[2 * j1] - h[2 * j]) * ux + (h[2 * j1 + 1] - h[2 * j + 1]) * uy;
  }

  /** Projection on the inward normal (-uy, ux) of the hull edge leaving vertex j. */
  private static double across(double[] h, int m, int j, double ux, double uy) {
    int j1 = (j + 1) % m;
    return -(h[2 * j1] - h[2 * j]) * uy + (h[2 * j1 + 1] - h[2 * j + 1]) * ux;
  }

  /** z of (b - a) x (p - a) for hull vertices a, b. */
  private static double cross(double[] hull, int a, int b, double x, double y) {
    double ax = hull[2 * a];
    double ay = hull[2 * a + 1];
    return (hull[2 * b] - ax) * (y - ay) - (hull[2 * b + 1] - ay) * (x - ax);
  }

  /** Point indices in lexicographic (x, y) order (a mask outline gives a few thousand at most). */
  private static int[] sortedOrder(double[] xy, int n) {
    Integer[] idx = new Integer[n];
    for (int i = 0; i < n; i++) {
      if (!Double.isFinite(xy[2 * i]) || !Double.isFinite(xy[2 * i + 1])) {
        throw new IllegalArgumentException("point " + i + " is not finite: (" + xy[2 * i] + ", " + xy[2 * i + 1] + ")");
      }
      idx[i] = i;
    }
    Arrays.sort(idx, (a, b) -> {
      int c = Double.compare(xy[2 * a], xy[2 * b]);
      return c != 0 ? c : Double.compare(xy[2 * a + 1], xy[2 * b + 1]);
    });
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = idx[i];
    }
    return out;
  }
}
