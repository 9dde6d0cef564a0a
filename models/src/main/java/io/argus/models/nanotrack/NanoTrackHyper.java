package io.argus.models.nanotrack;

import java.util.Map;

/**
 * Tracker hyper-parameters of NanoTrack (written to the model's metadata, read by the tracking
 * core). Names follow the pysot config keys: CONTEXT_AMOUNT, WINDOW_INFLUENCE, PENALTY_K, LR.
 *
 * <p>{@link #OPENCV} is the default because the reference figures the project must match were
 * measured with OpenCV's TrackerNano, which hard-codes its own values for every model version.
 * The training repository tunes one set per version.
 */
public enum NanoTrackHyper {
  OPENCV(0.455, 0.055, 0.37,
      "OpenCV modules/video/src/tracking/tracker_nano.cpp, TrackerNanoImpl::trackerConfig"),
  NANOTRACK_V1(0.462, 0.148, 0.390,
      "NanoTrack training repository (HonglinChu/SiamTrackers) NanoTrack/models/config/configv1.yaml, TRACK"),
  NANOTRACK_V2(0.490, 0.150, 0.385,
      "NanoTrack training repository (HonglinChu/SiamTrackers) NanoTrack/models/config/configv2.yaml, TRACK"),
  NANOTRACK_V3(0.455, 0.138, 0.348,
      "NanoTrack training repository (HonglinChu/SiamTrackers) NanoTrack/models/config/configv3.yaml, TRACK");

  /** Context around the target in the exemplar crop, p = contextAmount * (w + h); 0.5 in every source. */
  public static final double CONTEXT_AMOUNT = 0.5;
  /** Both trackers clamp the target's width and height to at least 10 pixels. */
  public static final double MIN_TARGET_SIDE = 10;

  private final double windowInfluence;
  private final double penaltyK;
  private final double lr;
  private final String source;

  NanoTrackHyper(double windowInfluence, double penaltyK, double lr, String source) {
    this.windowInfluence = windowInfluence;
    this.penaltyK = penaltyK;
    this.lr = lr;
    this.source = source;
  }

  /**
   * The metadata's hyper-parameters. {@code opencvArithmetic} 1 makes the tracking core reproduce
   * OpenCV's TrackerNano (whole-pixel crops, its window and scale-penalty reference, truncated
   * boxes) for the OpenCV preset; the repository's presets belong to its Python tracker, so 0.
   */
  public Map<String, Double> hyper() {
    return Map.of(
        "contextAmount", CONTEXT_AMOUNT,
        "windowInfluence", windowInfluence,
        "penaltyK", penaltyK,
        "lr", lr,
        "minTargetSide", MIN_TARGET_SIDE,
        "opencvArithmetic", this == OPENCV ? 1.0 : 0.0);
  }

  public String source() {
    return source;
  }
}
