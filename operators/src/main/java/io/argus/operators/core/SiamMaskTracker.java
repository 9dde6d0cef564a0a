package io.argus.operators.core;

import io.argus.models.ModelSpec;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.operators.core.mask.MaskOutline;
import io.argus.operators.core.mask.Segmentation;
import java.util.Map;

/**
 * SiamMask (Wang et al., CVPR 2019) as pysot's {@code tracker/siammask_tracker.py} runs it: the
 * box exactly as SiamRPN chooses and smooths it ({@link SiamRpnTracker}, composed, with
 * siammask_r50_l3's penaltyK 0.10, windowInfluence 0.41, lr 0.32), then the mask refined at the
 * score-map cell of the chosen anchor (the model's {@code mask} signature, called by
 * {@link BatchedTracking} for all targets of the frame at once), pasted back into the frame,
 * thresholded at {@code maskThreshold} (0.15), and outlined ({@link MaskOutline}: largest region,
 * minimum-area rotated box, RLE mask). A largest region of at most {@code minMaskArea} (100)
 * pixels counts as no mask, as pysot's "contour area over 100" rule (pysot measures the contour
 * through pixel centres, about (w - 1)(h - 1) for a w x h block; here the region's pixels).
 *
 * <p>The refined mask covers the exemplar-sized square of the search crop centred on the chosen
 * cell: centre = crop centre + stride x (cell - (S - 1) / 2) search-crop pixels, side
 * exemplarSize, both times the crop's frame scale (pysot's {@code sub_box}, written around
 * centres). An empty (or too small) mask leaves the step without a segmentation (pysot then falls back to the
 * axis-aligned box for its polygon); the box is SiamRPN's in both cases.
 */
public final class SiamMaskTracker implements Tracker, MaskRefinement {

  private final SiamRpnTracker rpn;
  private final ModelSpec spec;
  private final int scoreSize;
  private final float maskThreshold;
  private final double minMaskArea;

  public SiamMaskTracker(ModelSpec spec) {
    this.rpn = new SiamRpnTracker(spec);
    this.spec = spec;
    this.scoreSize = spec.scoreSize();
    double t = spec.hyper("maskThreshold", MaskOutline.DEFAULT_THRESHOLD);
    if (!(t >= 0 && t < 1)) {
      throw new IllegalArgumentException("model '" + spec.name() + "': maskThreshold must lie in 0..1 (a probability),"
          + " got " + t);
    }
    this.maskThreshold = (float) t;
    this.minMaskArea = spec.hyper("minMaskArea", 100);
    if (!(minMaskArea >= 0)) {
      throw new IllegalArgumentException("model '" + spec.name() + "': minMaskArea must be >= 0 pixels, got "
          + minMaskArea);
    }
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public void exemplar(RgbImage frame, Box box, float[] dst, int offset) {
    rpn.exemplar(frame, box, dst, offset);
  }

  @Override
  public int searchCropsPerTarget() {
    return 1;
  }

  @Override
  public void searchRegions(TargetState state, RgbImage frame, float[] dst, int offset) {
    rpn.searchRegions(state, frame, dst, offset);
  }

  @Override
  public TrackStep locate(TargetState state, Map<String, float[]> outputs, int item, RgbImage frame,
      long frameSequence) {
    return rpn.locate(state, outputs, item, frame, frameSequence);
  }

  @Override
  public MaskRefinement maskRefinement() {
    return this;
  }

  /** The cell of the anchor SiamRPN chose from these outputs (the same choice {@link #locate} made). */
  @Override
  public int[] position(TargetState previous, Map<String, float[]> outputs, int item) {
    double toFrame = rpn.searchRegion(previous).frameScale(spec.instanceSize());
    SiamRpnTracker.Choice c = rpn.choose(outputs.get(SiamRpnTracker.CLS), outputs.get(SiamRpnTracker.LOC), item,
        previous.width() / toFrame, previous.height() / toFrame);
    return new int[] {c.position() / scoreSize, c.position() % scoreSize};
  }

  @Override
  public TrackStep segment(TargetState previous, TrackStep step, int[] position, float[] masks, int offset,
      RgbImage frame) {
    Segmentation s = segmentation(previous, position, masks, offset, frame.width(), frame.height());
    // pysot keeps the largest contour only when its area is over 100, else it reports the box:
    // a speck of a few pixels above the threshold is noise, and its rotated box would be garbage
    if (s == null || s.mask().area() <= minMaskArea) {
      return step;
    }
    return new TrackStep(step.state(), step.box(), step.score(), step.status(), s);
  }

  /** The refined mask at {@code offset} pasted back into a frame of the given size; null when empty. */
  Segmentation segmentation(TargetState previous, int[] position, float[] masks, int offset, int frameWidth,
      int frameHeight) {
    SearchRegion region = rpn.searchRegion(previous);
    double toFrame = region.frameScale(spec.instanceSize());
    double centre = (scoreSize - 1) / 2.0;
    double cx = region.cx() + spec.stride() * (position[1] - centre) * toFrame;
    double cy = region.cy() + spec.stride() * (position[0] - centre) * toFrame;
    int m = spec.exemplarSize();
    return MaskOutline.fromCropMask(masks, offset, m, cx, cy, m * toFrame, frameWidth, frameHeight, maskThreshold);
  }
}
