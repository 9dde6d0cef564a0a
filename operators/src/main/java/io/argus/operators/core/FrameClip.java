package io.argus.operators.core;

/**
 * Keeps a tracked box sane, as pysot's {@code _bbox_clip}: the centre inside the frame, each side
 * between {@code minSide} pixels and the frame's size. Without it a drifting tracker can grow a
 * box without bound or walk it off the frame for good.
 */
public final class FrameClip {

  private FrameClip() {}

  public static double centre(double c, int frameSide) {
    return Math.max(0, Math.min(c, frameSide));
  }

  public static double side(double s, double minSide, int frameSide) {
    return Math.max(Math.min(minSide, frameSide), Math.min(s, frameSide));
  }
}
