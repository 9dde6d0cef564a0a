package io.argus.models.data;

import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import java.util.List;

/**
 * One rendered frame of a {@link SyntheticScene} with its exact ground truth.
 *
 * @param index the frame number it was rendered for
 * @param image the pixels
 * @param truths per object (in object order, stable over frames): the object's full extent,
 *     clipped to the frame, whether or not something covers it
 * @param visibility per object: the fraction of its in-frame pixels that are not covered by
 *     objects in front of it (1 = fully visible, 0 = fully hidden)
 */
public record SceneFrame(long index, RgbImage image, List<Box> truths, List<Double> visibility) {

  public SceneFrame {
    truths = List.copyOf(truths);
    visibility = List.copyOf(visibility);
  }
}
