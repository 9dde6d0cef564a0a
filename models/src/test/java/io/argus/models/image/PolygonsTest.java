package io.argus.models.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PolygonsTest {

  @Test
  void axisAlignedBoxesAgreeWithBoxIou() {
    SplittableRandom rng = new SplittableRandom(11);
    for (int i = 0; i < 500; i++) {
      Box a = new Box(rng.nextDouble(50), rng.nextDouble(50), 1 + rng.nextDouble(40), 1 + rng.nextDouble(40));
      Box b = new Box(rng.nextDouble(50), rng.nextDouble(50), 1 + rng.nextDouble(40), 1 + rng.nextDouble(40));
      assertThat(Polygons.iou(Polygons.of(a), Polygons.of(b))).isCloseTo(a.iou(b), within(1e-9));
    }
  }

  @Test
  void orientationDoesNotMatter() {
    List<Point> a = new RotatedBox(10, 10, 8, 4, 20).corners();
    List<Point> b = new ArrayList<>(new RotatedBox(12, 11, 6, 6, 45).corners());
    double iou = Polygons.iou(a, b);
    Collections.reverse(b);
    assertThat(Polygons.iou(a, b)).isCloseTo(iou, within(1e-12));
    assertThat(Polygons.iou(b, a)).isCloseTo(iou, within(1e-12));
  }

  @Test
  void squareTurnedFortyFiveDegreesOverItselfIsAnOctagon() {
    // unit-half-side square and the same square turned 45 degrees: the overlap is a regular
    // octagon of area 8 (sqrt2 - 1) for half side 1
    List<Point> square = new RotatedBox(0, 0, 2, 2, 0).corners();
    List<Point> diamond = new RotatedBox(0, 0, 2, 2, 45).corners();
    double octagon = 8 * (Math.sqrt(2) - 1);
    assertThat(Polygons.area(Polygons.intersection(square, diamond))).isCloseTo(octagon, within(1e-9));
    assertThat(Polygons.iou(square, diamond)).isCloseTo(octagon / (8 - octagon), within(1e-9));
  }

  @Test
  void rotatedIouMatchesPixelCounting() {
    SplittableRandom rng = new SplittableRandom(5);
    for (int i = 0; i < 10; i++) {
      RotatedBox a = new RotatedBox(50 + rng.nextDouble(10), 50 + rng.nextDouble(10), 10 + rng.nextDouble(30),
          5 + rng.nextDouble(20), rng.nextDouble(180));
      RotatedBox b = new RotatedBox(50 + rng.nextDouble(10), 50 + rng.nextDouble(10), 10 + rng.nextDouble(30),
          5 + rng.nextDouble(20), rng.nextDouble(180));
      assertThat(a.iou(b)).isCloseTo(sampledIou(a, b), within(0.01));
      assertThat(a.iou(b)).isPositive();
    }
  }

  @Test
  void disjointAndDegenerateGiveZero() {
    assertThat(new RotatedBox(0, 0, 2, 2, 10).iou(new RotatedBox(10, 10, 2, 2, 30))).isZero();
    assertThat(new RotatedBox(0, 0, 0, 0, 0).iou(new RotatedBox(0, 0, 0, 0, 0))).isZero();
  }

  /** Counts the points of a fine grid inside each rectangle. */
  private static double sampledIou(RotatedBox a, RotatedBox b) {
    int inter = 0;
    int union = 0;
    double step = 0.125;
    Box ab = a.bounds();
    Box bb = b.bounds();
    double x0 = Math.min(ab.x(), bb.x());
    double y0 = Math.min(ab.y(), bb.y());
    double x1 = Math.max(ab.x() + ab.width(), bb.x() + bb.width());
    double y1 = Math.max(ab.y() + ab.height(), bb.y() + bb.height());
    for (double y = y0 + step / 2; y < y1; y += step) {
      for (double x = x0 + step / 2; x < x1; x += step) {
        boolean ia = inside(a, x, y);
        boolean ib = inside(b, x, y);
        inter += ia && ib ? 1 : 0;
        union += ia || ib ? 1 : 0;
      }
    }
    return inter / (double) union;
  }

  private static boolean inside(RotatedBox r, double x, double y) {
    double rad = Math.toRadians(r.angle());
    double dx = x - r.cx();
    double dy = y - r.cy();
    double u = dx * Math.cos(rad) + dy * Math.sin(rad);
    double v = -dx * Math.sin(rad) + dy * Math.cos(rad);
    return Math.abs(u) <= r.width() / 2 && Math.abs(v) <= r.height() / 2;
  }
}
