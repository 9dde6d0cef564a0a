package io.argus.operators.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.ModelSpec;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import io.argus.models.image.RotatedBox;
import io.argus.operators.core.mask.Segmentation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SiamMask's tracking logic on hand-made outputs: the chosen cell and the mask pasted back into the frame. */
class SiamMaskTrackerTest {

  static ModelSpec spec(Map<String, Double> hyper) {
    return new ModelSpec("siammask", "test-siammask", 127, 255, 25, 8, List.of(7, 7, 4),
        Map.of("cls", List.of(25, 25, 10), "loc", List.of(25, 25, 20)), hyper, Map.of());
  }

  static Map<String, Double> pysot() {
    return new HashMap<>(Map.of("contextAmount", 0.5, "penaltyK", 0.10, "windowInfluence", 0.41, "lr", 0.32,
        "anchorScale", 8.0, "maskThreshold", 0.15));
  }

  /** Every anchor near-certain background except anchor a at (row, col); regression zero (the anchor's own box). */
  static Map<String, float[]> outputs(int a, int row, int col) {
    int k = 5;
    float[] cls = new float[25 * 25 * 2 * k];
    for (int p = 0; p < 25 * 25; p++) {
      for (int j = 0; j < k; j++) {
        cls[p * 2 * k + k + j] = -10;
      }
    }
    cls[(row * 25 + col) * 2 * k + k + a] = 10;
    return Map.of("cls", cls, "loc", new float[25 * 25 * 4 * k]);
  }

  /** A 64 x 64 target at (200, 150): exemplar side 128, search side 128 x 255 / 127, 255 / 255 crop pixels. */
  static TargetState target() {
    return new TargetState("t", null, 200, 150, 64, 64, 1f, new float[7 * 7 * 4], 0, 0, 0);
  }

  @Test
  void choosesTheCellOfTheBestAnchorAsSiamRpnDoes() {
    SiamMaskTracker tracker = new SiamMaskTracker(spec(pysot()));
    RgbImage frame = new RgbImage(400, 300, new byte[400 * 300 * 3]);
    Map<String, float[]> out = outputs(2, 5, 17);
    assertThat(tracker.position(target(), out, 0)).containsExactly(5, 17);
    TrackStep step = tracker.locate(target(), out, 0, frame, 1);
    TrackStep rpn = new SiamRpnTracker(spec(pysot())).locate(target(), out, 0, frame, 1);
    assertThat(step).isEqualTo(rpn);
    // the box moved to the chosen cell: 8 px a cell at 257/255 frame pixels a crop pixel
    double toFrame = 128.0 * 255 / 127 / 255;
    assertThat(step.box().cx()).isCloseTo(200 + 8 * 5 * toFrame, within(1e-6));
    assertThat(step.box().cy()).isCloseTo(150 - 8 * 7 * toFrame, within(1e-6));
    assertThat(tracker.maskRefinement()).isSameAs(tracker);
  }

  @Test
  void pastesTheMaskBackAroundTheChosenCell() {
    SiamMaskTracker tracker = new SiamMaskTracker(spec(pysot()));
    // a 60 x 20 block (columns 30..89, rows 40..59) of the 127 x 127 mask, second item of a batch of two
    float[] masks = new float[2 * 127 * 127];
    for (int r = 40; r < 60; r++) {
      for (int c = 30; c < 90; c++) {
        masks[127 * 127 + r * 127 + c] = 0.9f;
      }
    }
    RgbImage frame = new RgbImage(400, 300, new byte[400 * 300 * 3]);
    TrackStep step = new TrackStep(target(), Box.fromCentre(240, 94, 64, 64), 0.9f, TrackStatus.TRACKING);
    TrackStep seg = tracker.segment(target(), step, new int[] {5, 17}, masks, 127 * 127, frame);
    assertThat(seg.box()).isEqualTo(step.box());
    assertThat(seg.state()).isEqualTo(step.state());
    Segmentation s = seg.segmentation();
    assertThat(s).isNotNull();
    // by hand: mask square side 127 x 257/255 = 128 frame px, centred 8 x (17 - 12) and 8 x (5 - 12)
    // crop pixels (x 257/255) from the search centre; the block starts 30 and 40 mask pixels in
    double scale = 128.0 / 127;
    double left = 200 + 8 * 5 * scale - 64;
    double top = 150 - 8 * 7 * scale - 64;
    assertThat(s.box().x()).isCloseTo(left + 30 * scale, within(1.0));
    assertThat(s.box().y()).isCloseTo(top + 40 * scale, within(1.0));
    assertThat(s.box().width()).isCloseTo(60 * scale, within(1.5));
    assertThat(s.box().height()).isCloseTo(20 * scale, within(1.5));
    RotatedBox r = s.rotatedBox();
    assertThat(Math.max(r.width(), r.height())).isCloseTo(60 * scale, within(1.5));
    assertThat(Math.min(r.width(), r.height())).isCloseTo(20 * scale, within(1.5));
    assertThat((double) s.mask().area()).isCloseTo(60 * 20 * scale * scale, within(60.0));
  }

  @Test
  void theMaskThresholdComesFromTheMetadata() {
    float[] mask = new float[127 * 127];
    java.util.Arrays.fill(mask, 40 * 127, 60 * 127, 0.5f);
    RgbImage frame = new RgbImage(400, 300, new byte[400 * 300 * 3]);
    TrackStep step = new TrackStep(target(), target().box(), 0.9f, TrackStatus.TRACKING);
    assertThat(new SiamMaskTracker(spec(pysot())).segment(target(), step, new int[] {12, 12}, mask, 0, frame)
        .segmentation()).isNotNull();
    Map<String, Double> strict = pysot();
    strict.put("maskThreshold", 0.6);
    assertThat(new SiamMaskTracker(spec(strict)).segment(target(), step, new int[] {12, 12}, mask, 0, frame))
        .isEqualTo(step);
  }
  @Test
  void aMaskOfAFewPixelsGivesNoSegmentationAsPysotFallsBackToTheBox() {
    // pysot's _mask_post_processing keeps the largest contour only when its area is over 100;
    // otherwise the polygon is the axis-aligned box. A 6 x 6 speck is noise, not the target's outline.
    float[] mask = new float[127 * 127];
    for (int r = 60; r < 66; r++) {
      java.util.Arrays.fill(mask, r * 127 + 60, r * 127 + 66, 0.9f);
    }
    RgbImage frame = new RgbImage(400, 300, new byte[400 * 300 * 3]);
    TrackStep step = new TrackStep(target(), target().box(), 0.9f, TrackStatus.TRACKING);
    assertThat(new SiamMaskTracker(spec(pysot())).segment(target(), step, new int[] {12, 12}, mask, 0, frame))
        .isEqualTo(step);
    Map<String, Double> any = pysot();
    any.put("minMaskArea", 0.0);
    Segmentation s = new SiamMaskTracker(spec(any)).segment(target(), step, new int[] {12, 12}, mask, 0, frame)
        .segmentation();
    assertThat(s).isNotNull();
    assertThat(s.mask().area()).isBetween(25, 49);
  }
}
