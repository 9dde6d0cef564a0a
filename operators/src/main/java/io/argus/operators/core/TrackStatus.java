package io.argus.operators.core;

/** Outcome of one tracking step. */
public enum TrackStatus {
  /** The network found the target with a score at or above the model's lost threshold. */
  TRACKING,
  /** The peak score fell under the lost threshold; the box is held where it was last seen. */
  LOST
}
