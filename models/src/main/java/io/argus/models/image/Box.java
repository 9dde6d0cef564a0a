package io.argus.models.image;

/**
 * An axis-aligned box in 0-based pixel coordinates: (x, y) is the top-left corner. The OTB files
 * are 1-based; readers convert once, at the edge.
 */
public record Box(double x, double y, double width, double height) {

  public static Box fromCentre(double cx, double cy, double width, double height) {
    return new Box(cx - width / 2, cy - height / 2, width, height);
  }

  public double cx() {
    return x + width / 2;
  }

  public double cy() {
    return y + height / 2;
  }

  public double area() {
    return Math.max(0, width) * Math.max(0, height);
  }

  /** True when every coordinate is finite and the box has positive area. */
  public boolean isValid() {
    return Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(width) && Double.isFinite(height)
        && width > 0 && height > 0;
  }

  /** Intersection over union; 0 when either box is empty. */
  public double iou(Box other) {
    double ix = Math.max(0, Math.min(x + width, other.x + other.width) - Math.max(x, other.x));
    double iy = Math.max(0, Math.min(y + height, other.y + other.height) - Math.max(y, other.y));
    double inter = ix * iy;
    double union = area() + other.area() - inter;
    return union <= 0 ? 0 : inter / union;
  }

  /** Distance between the centres, the precision plot's measure. */
  public double centreDistance(Box other) {
    return Math.hypot(cx() - other.cx(), cy() - other.cy());
  }
}
