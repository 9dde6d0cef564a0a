package io.argus.operators.core;

import io.argus.models.image.Box;
import io.argus.operators.core.mask.Segmentation;

/**
 * One target after one frame: the state to keep and what to publish.
 *
 * @param state the state to store for the next frame
 * @param box the target's box in this frame (0-based pixels)
 * @param score the tracker's raw confidence for this frame
 * @param status TRACKING, or LOST when the score was under the model's lost threshold
 * @param segmentation the target's mask and rotated box (mask-producing families); null for
 *     box-only families and when the mask was empty
 */
public record TrackStep(TargetState state, Box box, float score, TrackStatus status, Segmentation segmentation) {

  /** A box-only step. */
  public TrackStep(TargetState state, Box box, float score, TrackStatus status) {
    this(state, box, score, status, null);
  }

  /** The same step with another state to keep (e.g. after a template update), segmentation kept. */
  public TrackStep withState(TargetState next) {
    return new TrackStep(next, box, score, status, segmentation);
  }
}
