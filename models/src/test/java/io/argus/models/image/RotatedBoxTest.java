package io.argus.models.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RotatedBoxTest {

  @Test
  void cornersGoClockwiseOnTheScreenFromTheTopLeft() {
    List<Point> c = new RotatedBox(50, 60, 40, 10, 0).corners();
    assertPoint(c.get(0), 30, 55);
    assertPoint(c.get(1), 70, 55);
    assertPoint(c.get(2), 70, 65);
    assertPoint(c.get(3), 30, 65);
  }

  @Test
  void cornersOfThirtyDegrees() {
    // u = (cos 30, sin 30) * 20 = (17.3205, 10); n = (-sin 30, cos 30) * 5 = (-2.5, 4.3301)
    List<Point> c = new RotatedBox(50, 60, 40, 10, 30).corners();
    assertPoint(c.get(0), 50 - 17.320508 + 2.5, 60 - 10 - 4.330127);
    assertPoint(c.get(1), 50 + 17.320508 + 2.5, 60 + 10 - 4.330127);
    assertPoint(c.get(2), 50 + 17.320508 - 2.5, 60 + 10 + 4.330127);
    assertPoint(c.get(3), 50 - 17.320508 - 2.5, 60 - 10 + 4.330127);
    assertThat(Polygons.area(c)).isCloseTo(400, within(1e-9));
    assertThat(Polygons.signedArea(c)).isPositive();
  }

  @Test
  void normalisedKeepsTheRectangleAndPutsTheAngleInZeroToNinety() {
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 200; i++) {
      RotatedBox b = new RotatedBox(rng.nextDouble(100), rng.nextDouble(100), 1 + rng.nextDouble(50),
          1 + rng.nextDouble(50), rng.nextDouble(-720, 720));
      RotatedBox n = b.normalised();
      assertThat(n.angle()).isGreaterThanOrEqualTo(0).isLessThan(90);
      assertThat(n.iou(b)).isCloseTo(1, within(1e-9));
      assertThat(n.area()).isCloseTo(b.area(), within(1e-9));
    }
    RotatedBox upright = new RotatedBox(0, 0, 10, 30, 90).normalised();
    assertThat(upright.angle()).isZero();
    assertThat(upright.width()).isEqualTo(30);
    assertThat(upright.height()).isEqualTo(10);
  }

  @Test
  void boundsOfARotatedBoxHoldItsCorners() {
    RotatedBox b = new RotatedBox(50, 60, 40, 10, 30);
    Box bounds = b.bounds();
    // width = 40 cos30 + 10 sin30, height = 40 sin30 + 10 cos30
    assertThat(bounds.width()).isCloseTo(34.641016 + 5, within(1e-6));
    assertThat(bounds.height()).isCloseTo(20 + 8.660254, within(1e-6));
    for (Point p : b.corners()) {
      assertThat(p.x()).isBetween(bounds.x() - 1e-9, bounds.x() + bounds.width() + 1e-9);
      assertThat(p.y()).isBetween(bounds.y() - 1e-9, bounds.y() + bounds.height() + 1e-9);
    }
  }

  @Test
  void rejectsNegativeOrNonFiniteSides() {
    assertThatThrownBy(() -> new RotatedBox(0, 0, -1, 2, 0)).hasMessageContaining("non-negative sides");
    assertThatThrownBy(() -> new RotatedBox(Double.NaN, 0, 1, 2, 0)).hasMessageContaining("finite centre");
  }

  private static void assertPoint(Point p, double x, double y) {
    assertThat(p.x()).isCloseTo(x, within(1e-5));
    assertThat(p.y()).isCloseTo(y, within(1e-5));
  }
}
