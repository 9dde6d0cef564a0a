package io.argus.jobs.soak;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a soak run does.
 *
 * @param cameras generated cameras, each a {@code SceneFeed} with its own seed
 * @param objects objects per camera, each tracked from frame 0
 * @param fps frames per second per camera
 * @param duration how long the cameras publish
 * @param interval how often a row is reported
 * @param width generated frame width
 * @param height generated frame height
 * @param maxSlopeMbPerMin the largest memory slope (RSS and native estimate, second half) still
 *     called flat
 * @param csv where the rows go as CSV, or null
 */
public record SoakPlan(int cameras, int objects, double fps, Duration duration, Duration interval, int width,
    int height, double maxSlopeMbPerMin, Path csv) {

  public SoakPlan {
    if (cameras < 1 || objects < 1 || fps <= 0) {
      throw new IllegalArgumentException("a soak needs at least one camera with one object at a positive fps; got "
          + cameras + " cameras, " + objects + " objects, " + fps + " fps");
    }
    if (duration.isNegative() || duration.isZero() || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("duration and interval must be positive; got " + duration + " and " + interval);
    }
  }

  /** Frames each camera publishes over the whole run. */
  public long framesPerCamera() {
    return (long) Math.ceil(duration.toMillis() / 1000.0 * fps);
  }
}
