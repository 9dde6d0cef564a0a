package io.argus.models.image;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Areas and overlaps of convex polygons in frame pixels, for scoring rotated boxes against
 * rotated ground truth (the VOT-style region overlap).
 */
public final class Polygons {

  private Polygons() {}

  /** The corners of an axis-aligned box, clockwise on the screen from the top-left. */
  public static List<Point> of(Box box) {
    double x1 = box.x() + box.width();
    double y1 = box.y() + box.height();
    return List.of(new Point(box.x(), box.y()), new Point(x1, box.y()), new Point(x1, y1), new Point(box.x(), y1));
  }

  /** Signed shoelace area: positive when the vertices turn from +x towards +y. */
  public static double signedArea(List<Point> polygon) {
    int n = polygon.size();
    double twice = 0;
    for (int i = 0; i < n; i++) {
      Point a = polygon.get(i);
      Point b = polygon.get((i + 1) % n);
      twice += a.x() * b.y() - b.x() * a.y();
    }
    return twice / 2;
  }

  /** Area of a simple polygon in either orientation. */
  public static double area(List<Point> polygon) {
    return Math.abs(signedArea(polygon));
  }

  /**
   * The intersection of two convex polygons (Sutherland-Hodgman: the first clipped by each edge of
   * the second), in either orientation; empty when they do not overlap.
   */
  public static List<Point> intersection(List<Point> subject, List<Point> clip) {
    List<Point> c = signedArea(clip) < 0 ? reversed(clip) : clip;
    List<Point> out = new ArrayList<>(subject);
    int m = c.size();
    for (int e = 0; e < m && !out.isEmpty(); e++) {
      Point a = c.get(e);
      Point b = c.get((e + 1) % m);
      List<Point> in = out;
      out = new ArrayList<>(in.size() + 2);
      int n = in.size();
      for (int i = 0; i < n; i++) {
        Point p = in.get(i);
        Point q = in.get((i + 1) % n);
        double sp = side(a, b, p);
        double sq = side(a, b, q);
        if (sp >= 0) {
          out.add(p);
        }
        if ((sp >= 0) != (sq >= 0)) {
          double t = sp / (sp - sq);
          out.add(new Point(p.x() + t * (q.x() - p.x()), p.y() + t * (q.y() - p.y())));
        }
      }
    }
    return out;
  }

  /** Intersection over union of two convex polygons; 0 when the union has no area. */
  public static double iou(List<Point> a, List<Point> b) {
    double inter = area(intersection(a, b));
    double union = area(a) + area(b) - inter;
    return union <= 0 ? 0 : inter / union;
  }

  /** Positive when p is on the inner side of edge a->b of a polygon of positive signed area. */
  private static double side(Point a, Point b, Point p) {
    return (b.x() - a.x()) * (p.y() - a.y()) - (b.y() - a.y()) * (p.x() - a.x());
  }

  private static List<Point> reversed(List<Point> polygon) {
    List<Point> r = new ArrayList<>(polygon);
    Collections.reverse(r);
    return r;
  }
}
