package io.argus.operators.core;

import io.argus.models.image.RgbImage;
import java.util.Map;

/**
 * The second half of a tracker whose network refines a mask at the response cell the tracker
 * chose (SiamMask): the cell is known only after {@link Tracker#locate}, so
 * {@link BatchedTracking} makes one more batched call, the model's {@code mask} signature, for
 * all targets tracked in the frame and hands each its mask here.
 */
public interface MaskRefinement {

  /**
   * The score-map cell {@link Tracker#locate} chose for this target from the same outputs: row
   * and column, each in 0 .. scoreSize - 1.
   */
  int[] position(TargetState previous, Map<String, float[]> outputs, int item);

  /**
   * The step with the segmentation of the refined mask in frame coordinates.
   *
   * @param previous the target's state before this frame (its search region is where the mask lies)
   * @param position the cell {@link #position} gave
   * @param masks the batched {@code mask} output: exemplarSize x exemplarSize probabilities per target
   * @param offset where this target's mask starts in {@code masks}
   */
  TrackStep segment(TargetState previous, TrackStep step, int[] position, float[] masks, int offset, RgbImage frame);
}
