package io.argus.models.image;

import java.util.List;

/**
 * A rotated rectangle in frame pixels (x right, y down, pixel i covers [i, i + 1)): the box of
 * the mask-producing trackers (SiamMask's min-area rectangle of the target's mask).
 *
 * <p>{@code width} runs along the unit vector u = (cos angle, sin angle) and {@code height} along
 * n = (-sin angle, cos angle). Because y points down, a positive angle turns the box clockwise on
 * the screen. One rectangle has several (angle, width, height) spellings; {@link #normalised()}
 * picks the one with the angle in [0, 90).
 *
 * @param cx centre x
 * @param cy centre y
 * @param width extent along u (0 for a degenerate box)
 * @param height extent along n
 * @param angle degrees
 */
public record RotatedBox(double cx, double cy, double width, double height, double angle) {

  public RotatedBox {
    if (!Double.isFinite(cx) || !Double.isFinite(cy) || !Double.isFinite(angle)
        || !(width >= 0) || !(height >= 0) || !Double.isFinite(width) || !Double.isFinite(height)) {
      throw new IllegalArgumentException("a rotated box needs a finite centre and angle and finite non-negative sides, got "
          + "centre (" + cx + ", " + cy + ") size " + width + "x" + height + " angle " + angle);
    }
  }

  /** The axis-aligned box as a rotated box of angle 0. */
  public static RotatedBox of(Box box) {
    return new RotatedBox(box.cx(), box.cy(), box.width(), box.height(), 0);
  }

  public double area() {
    return width * height;
  }

  /**
   * The four corners in order around the box: (-u -n), (+u -n), (+u +n), (-u +n) halves from the
   * centre. At angle 0 that is top-left, top-right, bottom-right, bottom-left: clockwise on the
   * screen.
   */
  public List<Point> corners() {
    double rad = Math.toRadians(angle);
    double ux = Math.cos(rad) * width / 2;
    double uy = Math.sin(rad) * width / 2;
    double nx = -Math.sin(rad) * height / 2;
    double ny = Math.cos(rad) * height / 2;
    return List.of(
        new Point(cx - ux - nx, cy - uy - ny),
        new Point(cx + ux - nx, cy + uy - ny),
        new Point(cx + ux + nx, cy + uy + ny),
        new Point(cx - ux + nx, cy - uy + ny));
  }

  /** The smallest axis-aligned box holding the corners. */
  public Box bounds() {
    double rad = Math.toRadians(angle);
    double c = Math.abs(Math.cos(rad));
    double s = Math.abs(Math.sin(rad));
    double bw = width * c + height * s;
    double bh = width * s + height * c;
    return Box.fromCentre(cx, cy, bw, bh);
  }

  /** The same rectangle spelt with the angle in [0, 90). */
  public RotatedBox normalised() {
    double a = angle % 180;
    if (a < 0) {
      a += 180;
    }
    double w = width;
    double h = height;
    if (a >= 90) {
      // height's direction a + 90 is a - 90 modulo 180: turning back a quarter swaps the sides
      a -= 90;
      w = height;
      h = width;
    }
    if (90 - a < 1e-9) {
      a = 0;
      double t = w;
      w = h;
      h = t;
    }
    return new RotatedBox(cx, cy, w, h, a);
  }

  /** Intersection over union of the two rectangles (polygon clipping); 0 when either is empty. */
  public double iou(RotatedBox other) {
    return Polygons.iou(corners(), other.corners());
  }
}
