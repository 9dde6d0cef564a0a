package io.argus.operators.core;

import io.argus.models.image.RgbImage;
import java.util.List;
import java.util.Objects;

/**
 * One frame and the targets to track into it: the unit {@link BatchedTracking#track(List)} puts
 * side by side with other frames (of other cameras) in one model call.
 *
 * @param frame the decoded frame
 * @param targets the targets to move into it; their states must come from frames before this one
 * @param frameSequence the frame's sequence number, recorded in each target's next state
 */
public record FrameTargets(RgbImage frame, List<TargetState> targets, long frameSequence) {

  public FrameTargets {
    Objects.requireNonNull(frame, "frame");
    targets = List.copyOf(targets);
  }
}
