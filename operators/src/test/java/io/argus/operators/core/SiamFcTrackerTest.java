package io.argus.operators.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.ModelSpec;
import io.argus.models.image.Box;
import io.argus.models.image.RgbImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SiamFcTrackerTest {

  private static final int MAP = 17 * 17;
  private static final RgbImage FRAME = new RgbImage(640, 480, new byte[640 * 480 * 3]);

  // A 40x40 target: exemplar side sqrt(80 * 80) = 80, search side 80 * 255 / 127, so one
  // instance-crop pixel is 80 / 127 frame pixels at scale 1.
  private static final TargetState TARGET =
      new TargetState("t", null, 320, 240, 40, 40, 1f, new float[4], 10, 5, 0);
  private static final double PIXEL = 80.0 / 127;

  private static void spike(float[] responses, int scale, int row, int col, float value) {
    responses[scale * MAP + row * 17 + col] = value;
  }

  @Test
  void peakOffsetMovesTheCentreByStrideOverUpsampleInCropPixels() {
    SiamFcTracker tracker = new SiamFcTracker(Specs.siamFc(Map.of("windowInfluence", 0.0)));
    float[] r = new float[3 * MAP];
    spike(r, 1, 8, 10, 1f);
    TrackStep step = tracker.locate(TARGET, Map.of("response", r), 0, FRAME, 11);
    // The spike at source column 10 is hit between upsampled columns 167 and 168 (10.5 * 16 - 0.5),
    // equal values, first wins: 167; rows likewise 135. Displacement from the centre (271 / 2):
    // (31.5, -0.5) upsampled pixels -> x 8 / 16 instance pixels -> x 80 / 127 frame pixels.
    assertThat(step.state().cx()).isCloseTo(320 + 31.5 * 0.5 * PIXEL, within(1e-9));
    assertThat(step.state().cy()).isCloseTo(240 - 0.5 * 0.5 * PIXEL, within(1e-9));
    assertThat(step.state().width()).isEqualTo(40);
    assertThat(step.score()).isEqualTo(1f);
    assertThat(step.status()).isEqualTo(TrackStatus.TRACKING);
    assertThat(step.state().framesTracked()).isEqualTo(6);
    assertThat(step.state().lastFrameSequence()).isEqualTo(11);
    assertThat(step.box()).isEqualTo(step.state().box());
  }

  @Test
  void cosineWindowPrefersTheNearerOfTwoEqualPeaks() {
    SiamFcTracker tracker = new SiamFcTracker(Specs.siamFc(Map.of()));
    float[] r = new float[3 * MAP];
    spike(r, 1, 8, 4, 1f); // 4 cells left of centre
    spike(r, 1, 8, 11, 1f); // 3 cells right
    TrackStep step = tracker.locate(TARGET, Map.of("response", r), 0, FRAME, 11);
    // column 183 (11.5 * 16 - 0.5, rounded towards the centre by the window): 47.5 upsampled pixels
    assertThat(step.state().cx()).isCloseTo(320 + 47.5 * 0.5 * PIXEL, within(1e-9));
    assertThat(Math.abs(step.state().cy() - 240)).isLessThanOrEqualTo(0.5 * 0.5 * PIXEL + 1e-9);
    // without the window the first (left) peak wins
    SiamFcTracker noWindow = new SiamFcTracker(Specs.siamFc(Map.of("windowInfluence", 0.0)));
    assertThat(noWindow.locate(TARGET, Map.of("response", r), 0, FRAME, 11).state().cx()).isLessThan(320);
  }

  @Test
  void scaleChangeNeedsToBeatThePenalty() {
    SiamFcTracker tracker = new SiamFcTracker(Specs.siamFc(Map.of()));
    float[] r = new float[3 * MAP];
    spike(r, 0, 8, 8, 1.03f); // smaller search region: target looks bigger -> shrink
    spike(r, 1, 8, 8, 1.0f);
    spike(r, 2, 8, 8, 0.9f);
    TrackStep shrink = tracker.locate(TARGET, Map.of("response", r), 0, FRAME, 11);
    double scale = 0.41 + 0.59 / 1.0375;
    assertThat(shrink.state().width()).isCloseTo(40 * scale, within(1e-9));
    assertThat(shrink.state().height()).isCloseTo(40 * scale, within(1e-9));
    assertThat(shrink.score()).isEqualTo(1.03f);
    // centred peak: at most half an upsampled pixel of movement (the 135/136 tie), at the chosen scale
    assertThat(Math.abs(shrink.state().cx() - 320)).isLessThanOrEqualTo(0.25 * PIXEL / 1.0375 + 1e-9);

    spike(r, 0, 8, 8, 1.02f); // 1.02 * 0.9745 < 1: keep the size
    TrackStep keep = tracker.locate(TARGET, Map.of("response", r), 0, FRAME, 11);
    assertThat(keep.state().width()).isEqualTo(40);
    assertThat(keep.score()).isEqualTo(1.0f);
  }

  @Test
  void itemSelectsTheTargetsSlice() {
    SiamFcTracker tracker = new SiamFcTracker(Specs.siamFc(Map.of("windowInfluence", 0.0)));
    float[] r = new float[6 * MAP];
    spike(r, 1, 8, 10, 1f); // target 0 moves right
    spike(r, 4, 8, 6, 1f); // target 1 moves left
    assertThat(tracker.locate(TARGET, Map.of("response", r), 0, FRAME, 11).state().cx()).isGreaterThan(320);
    assertThat(tracker.locate(TARGET, Map.of("response", r), 3, FRAME, 11).state().cx()).isLessThan(320);
    assertThatThrownBy(() -> tracker.locate(TARGET, Map.of("response", r), 4, FRAME, 11))
        .hasMessageContaining("needs items 4..6");
  }

  @Test
  void weakResponseHoldsTheBoxAndReportsLost() {
    SiamFcTracker tracker = new SiamFcTracker(Specs.siamFc(Map.of("lostScoreThreshold", 0.5)));
    float[] r = new float[3 * MAP];
    spike(r, 1, 8, 12, 0.3f);
    TrackStep lost = tracker.locate(TARGET, Map.of("response", r), 0, FRAME, 11);
    assertThat(lost.status()).isEqualTo(TrackStatus.LOST);
    assertThat(lost.box()).isEqualTo(TARGET.box());
    assertThat(lost.state().lowScoreStreak()).isEqualTo(1);
    assertThat(lost.score()).isEqualTo(0.3f);
    TrackStep again = tracker.locate(lost.state(), Map.of("response", r), 0, FRAME, 12);
    assertThat(again.state().lowScoreStreak()).isEqualTo(2);

    spike(r, 1, 8, 12, 0.8f);
    TrackStep found = tracker.locate(again.state(), Map.of("response", r), 0, FRAME, 13);
    assertThat(found.status()).isEqualTo(TrackStatus.TRACKING);
    assertThat(found.state().lowScoreStreak()).isZero();
    assertThat(found.state().cx()).isGreaterThan(320);
  }

  @Test
  void boxStaysInsideTheFrame() {
    SiamFcTracker tracker = new SiamFcTracker(Specs.siamFc(Map.of()));
    TargetState corner = new TargetState("t", null, 5, 5, 40, 40, 1f, new float[4], 10, 5, 0);
    float[] r = new float[3 * MAP];
    spike(r, 1, 0, 0, 1f);
    TrackStep step = tracker.locate(corner, Map.of("response", r), 0, FRAME, 11);
    assertThat(step.state().cx()).isZero();
    assertThat(step.state().cy()).isZero();

    RgbImage small = new RgbImage(30, 20, new byte[30 * 20 * 3]);
    TargetState big = new TargetState("t", null, 15, 10, 40, 40, 1f, new float[4], 10, 5, 0);
    spike(r, 1, 8, 8, 1f);
    TrackStep clipped = tracker.locate(big, Map.of("response", r), 0, small, 11);
    assertThat(clipped.state().width()).isEqualTo(30);
    assertThat(clipped.state().height()).isEqualTo(20);
  }

  @Test
  void exemplarCropOfAKnownImage() {
    // tiny geometry: 4-pixel exemplar; R = 10 x, G = 10 y, B = 7
    ModelSpec spec = new ModelSpec("siamfc", "tiny", 4, 8, 3, 2, List.of(1, 1, 1),
        Map.of("response", List.of(3, 3)), Map.of(), Map.of());
    byte[] rgb = new byte[20 * 20 * 3];
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 20; x++) {
        rgb[(y * 20 + x) * 3] = (byte) (10 * x);
        rgb[(y * 20 + x) * 3 + 1] = (byte) (10 * y);
        rgb[(y * 20 + x) * 3 + 2] = 7;
      }
    }
    RgbImage image = new RgbImage(20, 20, rgb);
    SiamFcTracker tracker = new SiamFcTracker(spec);
    // box 4x4 at (4,4): context side sqrt(8 * 8) = 8 around (6,6) covers [2,10); output pixel o
    // samples x = 2.5 + 2o, halfway between two pixels: R = 25 + 20 o
    float[] crop = new float[4 * 4 * 3 + 1];
    tracker.exemplar(image, new Box(4, 4, 4, 4), crop, 1);
    for (int oy = 0; oy < 4; oy++) {
      for (int ox = 0; ox < 4; ox++) {
        int i = 1 + (oy * 4 + ox) * 3;
        assertThat(crop[i]).isCloseTo(25 + 20 * ox, within(1e-4f));
        assertThat(crop[i + 1]).isCloseTo(25 + 20 * oy, within(1e-4f));
        assertThat(crop[i + 2]).isCloseTo(7, within(1e-4f));
      }
    }
    // box 2x2 at the corner: side 4 around (1,1) covers [-1,3), one pixel per output pixel;
    // the first row and column fall outside and take the frame's mean colour (95, 95, 7)
    float[] corner = new float[4 * 4 * 3];
    tracker.exemplar(image, new Box(0, 0, 2, 2), corner, 0);
    assertThat(new float[] {corner[0], corner[1], corner[2]}).containsExactly(new float[] {95, 95, 7}, within(1e-3f));
    int p11 = (1 * 4 + 1) * 3;
    assertThat(new float[] {corner[p11], corner[p11 + 1], corner[p11 + 2]}).containsExactly(new float[] {0, 0, 7}, within(1e-4f));
    int p23 = (2 * 4 + 3) * 3; // row 2 -> y 1, column 3 -> x 2
    assertThat(new float[] {corner[p23], corner[p23 + 1], corner[p23 + 2]}).containsExactly(new float[] {20, 10, 7}, within(1e-4f));
  }

  @Test
  void searchRegionsAreThreeScaledCropsAroundTheCentre() {
    ModelSpec spec = new ModelSpec("siamfc", "tiny", 4, 8, 3, 2, List.of(1, 1, 1),
        Map.of("response", List.of(3, 3)), Map.of("scaleStep", 2.0), Map.of());
    byte[] rgb = new byte[20 * 20 * 3];
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 20; x++) {
        rgb[(y * 20 + x) * 3] = (byte) (10 * x);
      }
    }
    SiamFcTracker tracker = new SiamFcTracker(spec);
    TargetState s = new TargetState("t", null, 10, 10, 4, 4, 1f, new float[1], 0, 0, 0);
    // exemplar side 8, search side 8 * 8 / 4 = 16; scale factors 1/2, 1, 2 -> sides 8, 16, 32
    assertThat(tracker.searchRegion(s).side()).isEqualTo(16);
    assertThat(tracker.searchCropsPerTarget()).isEqualTo(3);
    int crop = 8 * 8 * 3;
    float[] dst = new float[3 * crop + 5];
    tracker.searchRegions(s, new RgbImage(20, 20, rgb), dst, 5);
    // side 8 covers [6,14), one pixel per output pixel: output 0 samples x = 6 -> R 60
    assertThat(dst[5]).isCloseTo(60, within(1e-3f));
    // side 16 covers [2,18), two pixels each: output 0 samples x = 2.5 -> R 25
    assertThat(dst[5 + crop]).isCloseTo(25, within(1e-3f));
    // side 32 covers [-6,26), four each: output (0,0) at (-4.5,-4.5) is padding (mean R 95);
    // output (2,2) samples (3.5, 3.5), between pixels 3 and 4
    assertThat(dst[5 + 2 * crop]).isCloseTo(95, within(1e-3f));
    assertThat(dst[5 + 2 * crop + (2 * 8 + 2) * 3]).isCloseTo(35, within(1e-3f));
  }

  @Test
  void templateLearningRateComesFromTheModel() {
    assertThat(new SiamFcTracker(Specs.siamFc(Map.of())).templateLearningRate()).isZero();
    assertThat(new SiamFcTracker(Specs.siamFc(Map.of("templateLr", 0.005))).templateLearningRate()).isEqualTo(0.005);
    assertThatThrownBy(() -> new SiamFcTracker(Specs.siamFc(Map.of("templateLr", -0.1))))
        .hasMessageContaining("templateLr");
  }
}
