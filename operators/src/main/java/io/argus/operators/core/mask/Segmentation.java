package io.argus.operators.core.mask;

import io.argus.models.image.Box;
import io.argus.models.image.RotatedBox;

/**
 * The target's mask in one frame and the boxes drawn from it, all in frame pixels.
 *
 * @param box axis-aligned box of the mask's pixels
 * @param rotatedBox minimum-area rectangle of the mask's outline (see {@link MaskOutline})
 * @param mask the mask over {@code box}, COCO run-length encoded
 */
public record Segmentation(Box box, RotatedBox rotatedBox, RleMask mask) {

  public Segmentation {
    if (box == null || rotatedBox == null || mask == null) {
      throw new IllegalArgumentException("a segmentation needs its box, rotated box and mask");
    }
  }
}
