package io.argus.operators.core;

import io.argus.models.image.RgbImage;

/**
 * Mean colour of a frame, the papers' padding for crops that reach past the border. Every target
 * of a frame needs it, so the last frame's mean is remembered (by identity) instead of scanning
 * the frame once per target. Thread-safe: the cached pair is immutable and published atomically.
 */
final class FrameMeans {

  private record Entry(RgbImage frame, float[] mean) {}

  private volatile Entry last;

  float[] of(RgbImage frame) {
    Entry e = last;
    if (e != null && e.frame == frame) {
      return e.mean;
    }
    float[] mean = frame.meanColour();
    last = new Entry(frame, mean);
    return mean;
  }
}
