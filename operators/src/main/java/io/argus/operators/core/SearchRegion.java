package io.argus.operators.core;

import io.argus.models.image.Crops;
import io.argus.models.image.RgbImage;

/**
 * A square region of the frame that is cropped and resized for the network: the exemplar
 * (template) region or a search region. Converts displacements measured in the resized crop back
 * to frame pixels.
 *
 * @param cx centre x in frame pixels
 * @param cy centre y in frame pixels
 * @param side side of the square in frame pixels
 */
public record SearchRegion(double cx, double cy, double side) {

  /**
   * The exemplar region of a target (SiamFC / SiamRPN): side {@code sqrt((w + p)(h + p))},
   * {@code p = contextAmount (w + h)}.
   */
  public static SearchRegion exemplar(double cx, double cy, double width, double height, double contextAmount) {
    return new SearchRegion(cx, cy, Crops.contextSide(width, height, contextAmount));
  }

  /**
   * The search region around the same centre: the exemplar side scaled by instanceSize /
   * exemplarSize, so the target has the same size in pixels of both crops.
   */
  public SearchRegion search(int exemplarSize, int instanceSize) {
    return new SearchRegion(cx, cy, side * instanceSize / exemplarSize);
  }

  /** The region scaled about its centre (SiamFC's scale pyramid). */
  public SearchRegion scaled(double factor) {
    return new SearchRegion(cx, cy, side * factor);
  }

  /** Frame pixels per crop pixel when the region is resized to cropSize x cropSize. */
  public double frameScale(int cropSize) {
    return side / cropSize;
  }

  /** Writes the cropSize x cropSize x 3 crop into dst at offset, padding outside the frame with padColour. */
  public void crop(RgbImage frame, int cropSize, float[] padColour, float[] dst, int offset) {
    Crops.cropAndResize(frame, cx, cy, side, cropSize, padColour, dst, offset);
  }
}
