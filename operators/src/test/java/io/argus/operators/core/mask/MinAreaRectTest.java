package io.argus.operators.core.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.image.Point;
import io.argus.models.image.Polygons;
import io.argus.models.image.RotatedBox;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MinAreaRectTest {

  @Test
  void axisAlignedRectangleWithInteriorPoints() {
    List<Point> pts = new ArrayList<>(List.of(new Point(10, 20), new Point(50, 20), new Point(50, 30), new Point(10, 30)));
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < 50; i++) {
      pts.add(new Point(10 + 40 * rng.nextDouble(), 20 + 10 * rng.nextDouble()));
    }
    assertBox(MinAreaRect.of(pts), 30, 25, 40, 10, 0);
  }

  @Test
  void rectangleAtThirtyDegrees() {
    // corners of a 40 x 10 rectangle centred at (50, 60) turned 30 degrees, written out by hand:
    // u = (cos 30, sin 30) * 20 = (17.3205, 10), n = (-sin 30, cos 30) * 5 = (-2.5, 4.3301)
    List<Point> pts = new ArrayList<>(List.of(
        new Point(50 - 17.320508 + 2.5, 60 - 10 - 4.330127),
        new Point(50 + 17.320508 + 2.5, 60 + 10 - 4.330127),
        new Point(50 + 17.320508 - 2.5, 60 + 10 + 4.330127),
        new Point(50 - 17.320508 - 2.5, 60 - 10 + 4.330127)));
    pts.add(new Point(50, 60));
    pts.add(new Point(55, 62));
    assertBox(MinAreaRect.of(pts), 50, 60, 40, 10, 30);
  }

  @Test
  void rectangleAtMinusThirtyDegreesComesBackWithTheAngleInZeroToNinety() {
    List<Point> pts = new RotatedBox(50, 60, 40, 10, -30).corners();
    // -30 degrees is 60 degrees with the sides swapped
    assertBox(MinAreaRect.of(pts), 50, 60, 10, 40, 60);
  }

  @Test
  void flatTriangleLiesOnItsLongestSide() {
    // base (0,0)-(10,0), apex (5,1): on the base 10 x 1 = 10; on a slanted side about 19
    List<Point> pts = List.of(new Point(0, 0), new Point(10, 0), new Point(5, 1));
    assertBox(MinAreaRect.of(pts), 5, 0.5, 10, 1, 0);
  }

  @Test
  void matchesBruteForceOverEveryPairOfPoints() {
    SplittableRandom rng = new SplittableRandom(42);
    for (int trial = 0; trial < 200; trial++) {
      int n = 3 + rng.nextInt(30);
      List<Point> pts = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        pts.add(new Point(rng.nextDouble(-50, 50), rng.nextDouble(-20, 20) + 0.5 * i));
      }
      RotatedBox box = MinAreaRect.of(pts);
      assertThat(box.area()).isCloseTo(bruteForceArea(pts), within(1e-6 * Math.max(1, box.area())));
      // it holds every point
      List<Point> c = box.corners();
      for (Point p : pts) {
        assertThat(insideConvex(c, p, 1e-6)).as("point %s inside %s", p, box).isTrue();
      }
      assertThat(box.angle()).isGreaterThanOrEqualTo(0).isLessThan(90);
    }
  }

  @Test
  void cornersGoAroundTheBox() {
    RotatedBox box = MinAreaRect.of(new RotatedBox(0, 0, 30, 8, 70).corners());
    List<Point> c = box.corners();
    assertThat(Polygons.area(c)).isCloseTo(240, within(1e-6));
    assertThat(Math.hypot(c.get(1).x() - c.get(0).x(), c.get(1).y() - c.get(0).y())).isCloseTo(box.width(), within(1e-9));
    assertThat(Math.hypot(c.get(2).x() - c.get(1).x(), c.get(2).y() - c.get(1).y())).isCloseTo(box.height(), within(1e-9));
  }

  @Test
  void singlePointAndRepeatedPointGiveAnEmptyBoxAtThePoint() {
    assertBox(MinAreaRect.of(List.of(new Point(3, 4))), 3, 4, 0, 0, 0);
    assertBox(MinAreaRect.of(List.of(new Point(3, 4), new Point(3, 4), new Point(3, 4))), 3, 4, 0, 0, 0);
  }

  @Test
  void collinearPointsGiveASegment() {
    // along 30 degrees: a 20-long segment, height 0
    double c = Math.cos(Math.toRadians(30));
    double s = Math.sin(Math.toRadians(30));
    List<Point> pts = List.of(new Point(0, 0), new Point(10 * c, 10 * s), new Point(20 * c, 20 * s), new Point(5 * c, 5 * s));
    assertBox(MinAreaRect.of(pts), 10 * c, 10 * s, 20, 0, 30);
    // along 120 degrees: the same as width 0 along 30 degrees
    List<Point> steep = List.of(new Point(0, 0), new Point(-5, 5 * Math.sqrt(3)));
    assertBox(MinAreaRect.of(steep), -2.5, 2.5 * Math.sqrt(3), 0, 10, 30);
    // horizontal and vertical
    assertBox(MinAreaRect.of(List.of(new Point(1, 2), new Point(7, 2), new Point(4, 2))), 4, 2, 6, 0, 0);
    assertBox(MinAreaRect.of(List.of(new Point(1, 2), new Point(1, 9))), 1, 5.5, 0, 7, 0);
  }

  @Test
  void convexHullDropsInteriorAndCollinearPoints() {
    double[] xy = {0, 0, 2, 0, 4, 0, 4, 4, 0, 4, 2, 2, 1, 1};
    double[] hull = MinAreaRect.convexHull(xy, 7);
    assertThat(hull).containsExactly(0, 0, 4, 0, 4, 4, 0, 4);
  }

  @Test
  void refusesNoPointsAndNonFinitePoints() {
    assertThatThrownBy(() -> MinAreaRect.of(List.of())).hasMessageContaining("at least one point");
    assertThatThrownBy(() -> MinAreaRect.of(List.of(new Point(0, 0), new Point(Double.NaN, 1))))
        .hasMessageContaining("not finite");
  }

  private static void assertBox(RotatedBox b, double cx, double cy, double w, double h, double angle) {
    assertThat(b.cx()).as("cx of %s", b).isCloseTo(cx, within(1e-5));
    assertThat(b.cy()).as("cy of %s", b).isCloseTo(cy, within(1e-5));
    assertThat(b.width()).as("width of %s", b).isCloseTo(w, within(1e-5));
    assertThat(b.height()).as("height of %s", b).isCloseTo(h, within(1e-5));
    assertThat(b.angle()).as("angle of %s", b).isCloseTo(angle, within(1e-4));
  }

  /** Every direction through two of the points, the extents along it and across it. */
  private static double bruteForceArea(List<Point> pts) {
    double best = Double.POSITIVE_INFINITY;
    for (Point a : pts) {
      for (Point b : pts) {
        double len = Math.hypot(b.x() - a.x(), b.y() - a.y());
        if (len == 0) {
          continue;
        }
        double ux = (b.x() - a.x()) / len;
        double uy = (b.y() - a.y()) / len;
        double minU = Double.POSITIVE_INFINITY;
        double maxU = Double.NEGATIVE_INFINITY;
        double minV = Double.POSITIVE_INFINITY;
        double maxV = Double.NEGATIVE_INFINITY;
        for (Point p : pts) {
          double u = p.x() * ux + p.y() * uy;
          double v = -p.x() * uy + p.y() * ux;
          minU = Math.min(minU, u);
          maxU = Math.max(maxU, u);
          minV = Math.min(minV, v);
          maxV = Math.max(maxV, v);
        }
        best = Math.min(best, (maxU - minU) * (maxV - minV));
      }
    }
    return best;
  }

  private static boolean insideConvex(List<Point> poly, Point p, double eps) {
    double sign = Math.signum(Polygons.signedArea(poly));
    for (int i = 0; i < poly.size(); i++) {
      Point a = poly.get(i);
      Point b = poly.get((i + 1) % poly.size());
      double cross = (b.x() - a.x()) * (p.y() - a.y()) - (b.y() - a.y()) * (p.x() - a.x());
      if (cross * sign < -eps * Math.max(1, Math.hypot(b.x() - a.x(), b.y() - a.y()))) {
        return false;
      }
    }
    return true;
  }
}
