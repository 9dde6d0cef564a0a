package io.argus.operators.flink;

import java.io.Serializable;
import java.util.Locale;

/**
 * What a camera that has fallen behind gives up. A camera is behind when a frame's capture time
 * is more than {@link #maxLagMs()} older than the operator's clock (so camera clocks must agree
 * with the task managers' to well within that lag: NTP). Only frames of a camera that is behind
 * are ever skipped; the decision is made per frame when it arrives, before it is decoded.
 *
 * @param policy what to skip while behind
 * @param maxLagMs capture-to-now age above which a camera counts as behind
 * @param maxFps for {@link Policy#MAX_FPS}: tracked frames per second of capture time while behind
 */
public record LoadShedding(Policy policy, long maxLagMs, double maxFps) implements Serializable {

  /** No previous tracked frame: the first frame of a camera is never thinned out. */
  public static final long NONE = Long.MIN_VALUE;

  public enum Policy {
    /** Track every frame however far behind: the input queues up (today's behaviour before shedding). */
    ALL,
    /** Skip every frame older than the lag: the camera jumps ahead to its newest frames. */
    LATEST,
    /** While behind, track at most maxFps frames per second of capture time, skip the rest. */
    MAX_FPS;

    /** all, latest, max-fps as in the settings. */
    public static Policy parse(String name) {
      for (Policy p : values()) {
        if (p.settingName().equals(name.trim().toLowerCase(Locale.ROOT))) {
          return p;
        }
      }
      throw new IllegalArgumentException("unknown load-shedding policy '" + name + "'; use all, latest or max-fps");
    }

    public String settingName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public LoadShedding {
    if (policy == null) {
      throw new IllegalArgumentException("load-shedding policy missing; use all, latest or max-fps");
    }
    if (maxLagMs < 0) {
      throw new IllegalArgumentException("load-shedding lag must be >= 0 ms, got " + maxLagMs);
    }
    if (policy == Policy.MAX_FPS && !(maxFps > 0 && Double.isFinite(maxFps))) {
      throw new IllegalArgumentException("policy max-fps needs a frame rate > 0, got " + maxFps);
    }
  }

  /** Never skip anything. */
  public static LoadShedding none() {
    return new LoadShedding(Policy.ALL, 5000, 5);
  }

  /**
   * Whether to skip this frame.
   *
   * @param captureTimeMs the frame's capture time
   * @param nowMs the operator's clock
   * @param lastTrackedCaptureMs capture time of the camera's last frame that was not skipped, or {@link #NONE}
   */
  public boolean skip(long captureTimeMs, long nowMs, long lastTrackedCaptureMs) {
    if (policy == Policy.ALL || nowMs - captureTimeMs <= maxLagMs) {
      return false;
    }
    return switch (policy) {
      case LATEST -> true;
      case MAX_FPS -> lastTrackedCaptureMs != NONE && captureTimeMs - lastTrackedCaptureMs < 1000.0 / maxFps;
      case ALL -> false;
    };
  }
}
