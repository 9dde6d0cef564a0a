package io.argus.operators.core;

/**
 * pysot's penalty on a change of size and aspect ratio between frames (SiamRPN, SiamMask,
 * NanoTrack): {@code exp(-(change(s'/s) * change(r'/r) - 1) * penaltyK)} with
 * {@code change(x) = max(x, 1/x)}, size {@code s = sqrt((w + p)(h + p))}, {@code p = (w + h) / 2}
 * and ratio {@code r = w / h}. 1 for an unchanged box, smaller the more it changes.
 */
public record ShapeChangePenalty(double penaltyK) {

  public ShapeChangePenalty {
    if (!(penaltyK >= 0)) {
      throw new IllegalArgumentException("penaltyK must be non-negative, got " + penaltyK);
    }
  }

  /** pysot's {@code sz(w, h)}: the side of the square with context (w + h) / 2. */
  public static double size(double w, double h) {
    double pad = (w + h) * 0.5;
    return Math.sqrt((w + pad) * (h + pad));
  }

  static double change(double r) {
    return Math.max(r, 1.0 / r);
  }

  /**
   * Penalty for a candidate box (w, h) against the current target (targetW, targetH), all in the
   * same units (pysot compares the candidate in search-crop pixels with the target scaled into
   * the crop).
   */
  public double penalty(double w, double h, double targetW, double targetH) {
    return penaltyAgainst(w, h, targetW / targetH, size(targetW, targetH));
  }

  /**
   * The same penalty against a precomputed target ratio and {@link #size} (one target is
   * compared with every candidate of a score map), or against another reference size where a
   * reference tracker uses one (OpenCV's TrackerNano).
   */
  public double penaltyAgainst(double w, double h, double targetRatio, double targetSize) {
    double sc = change(size(w, h) / targetSize);
    double rc = change(targetRatio / (w / h));
    return Math.exp(-(rc * sc - 1) * penaltyK);
  }
}
