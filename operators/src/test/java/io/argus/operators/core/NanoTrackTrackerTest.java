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

class NanoTrackTrackerTest {

  private static final RgbImage FRAME = new RgbImage(640, 480, new byte[640 * 480 * 3]);

  // A 40x40 target: exemplar side sqrt(80 * 80) = 80, search side 80 * 255 / 127, so one
  // search-crop pixel is 80 / 127 frame pixels and the target measures 63.5 crop pixels.
  private static final TargetState TARGET =
      new TargetState("t", null, 320, 240, 40, 40, 1f, new float[8 * 8 * 2], 10, 5, 0);
  private static final double PIXEL = 80.0 / 127;
  private static final float IN_CROP = 63.5f;
  private static final double TARGET_SIZE = ShapeChangePenalty.size(IN_CROP, IN_CROP);

  /** The Python tracker's arithmetic on exact crops, whose numbers are easiest to follow by hand. */
  private static ModelSpec exact(int s, Map<String, Double> hyper) {
    Map<String, Double> h = new java.util.HashMap<>(hyper);
    h.put(NanoTrackTracker.OPENCV_ARITHMETIC, 0.0);
    return Specs.nanoTrack(s, h);
  }

  /** Maps of one crop where every point predicts the current box and is almost surely background. */
  private static Map<String, float[]> background(int s) {
    float[] cls = new float[s * s * 2];
    float[] loc = new float[s * s * 4];
    for (int i = 0; i < s * s; i++) {
      cls[2 * i] = 0f;
      cls[2 * i + 1] = -12f;
      for (int k = 0; k < 4; k++) {
        loc[4 * i + k] = IN_CROP / 2;
      }
    }
    return Map.of("cls", cls, "loc", loc);
  }

  private static void target(Map<String, float[]> maps, int s, int row, int col, float logit, float... ltrb) {
    int i = row * s + col;
    maps.get("cls")[2 * i + 1] = logit;
    if (ltrb.length == 4) {
      System.arraycopy(ltrb, 0, maps.get("loc"), 4 * i, 4);
    }
  }

  @Test
  void softmaxChannelOneIsTheTargetAndNeverOverflows() {
    assertThat(NanoTrackTracker.targetProbability(1f, 2f))
        .isCloseTo((float) (Math.exp(2) / (Math.exp(1) + Math.exp(2))), within(1e-7f));
    assertThat(NanoTrackTracker.targetProbability(0f, 0f)).isEqualTo(0.5f);
    assertThat(NanoTrackTracker.targetProbability(1000f, 0f)).isEqualTo(0f);
    assertThat(NanoTrackTracker.targetProbability(0f, 1000f)).isEqualTo(1f);
  }

  @Test
  void decodesTheChosenPointsDistancesIntoABoxAroundTheGridPoint() {
    NanoTrackTracker tracker = new NanoTrackTracker(exact(16, Map.of("windowInfluence", 0.0)));
    Map<String, float[]> maps = background(16);
    // point (row 8, col 9): 16 crop pixels right of the centre (zero is point 16 / 2 = 8)
    target(maps, 16, 8, 9, (float) Math.log(3), 30, 20, 34, 44);
    NanoTrackTracker.Choice c = tracker.choose(maps.get("cls"), maps.get("loc"), 0, 1.0, TARGET_SIZE);
    assertThat(c.index()).isEqualTo(8 * 16 + 9);
    // x1 = 16 - 30, x2 = 16 + 34; y1 = 0 - 20, y2 = 0 + 44
    assertThat(c.dx()).isEqualTo(18);
    assertThat(c.dy()).isEqualTo(12);
    assertThat(c.width()).isEqualTo(64);
    assertThat(c.height()).isEqualTo(64);
    assertThat(c.score()).isCloseTo(0.75f, within(1e-6f));
    // same ratio; size sqrt(128 * 128) against sqrt(127 * 127): exp(-(128 / 127 - 1) * 0.055)
    double penalty = Math.exp(-(128.0 / 127 - 1) * 0.055);
    assertThat(c.penalty()).isCloseTo(penalty, within(1e-12));
    assertThat(c.lr()).isCloseTo(penalty * 0.75 * 0.37, within(1e-7));

    TrackStep step = tracker.locate(TARGET, maps, 0, FRAME, 11);
    double lr = c.lr();
    assertThat(step.state().cx()).isCloseTo(320 + 18 * PIXEL, within(1e-9));
    assertThat(step.state().cy()).isCloseTo(240 + 12 * PIXEL, within(1e-9));
    assertThat(step.state().width()).isCloseTo(40 * (1 - lr) + 64 * PIXEL * lr, within(1e-9));
    assertThat(step.state().height()).isCloseTo(40 * (1 - lr) + 64 * PIXEL * lr, within(1e-9));
    assertThat(step.score()).isEqualTo(c.score());
    assertThat(step.status()).isEqualTo(TrackStatus.TRACKING);
    assertThat(step.state().framesTracked()).isEqualTo(6);
    assertThat(step.state().lastFrameSequence()).isEqualTo(11);
    assertThat(step.box()).isEqualTo(step.state().box());
  }

  @Test
  void secondItemOfABatchIsReadAtItsOwnOffset() {
    NanoTrackTracker tracker = new NanoTrackTracker(exact(16, Map.of("windowInfluence", 0.0)));
    Map<String, float[]> first = background(16);
    Map<String, float[]> second = background(16);
    target(first, 16, 2, 2, 5f);
    target(second, 16, 8, 10, 5f);
    Map<String, float[]> batch = Map.of(
        "cls", concat(first.get("cls"), second.get("cls")), "loc", concat(first.get("loc"), second.get("loc")));
    assertThat(tracker.locate(TARGET, batch, 1, FRAME, 11).state().cx()).isCloseTo(320 + 32 * PIXEL, within(1e-9));
    assertThatThrownBy(() -> tracker.locate(TARGET, batch, 2, FRAME, 11)).hasMessageContaining("needs item 2");
  }

  @Test
  void targetOneStrideAwayMovesTheCentreOneStrideOfCropPixels() {
    for (int s : new int[] {16, 15}) {
      NanoTrackTracker tracker = new NanoTrackTracker(exact(s, Map.of()));
      int zero = s / 2;
      Map<String, float[]> still = background(s);
      target(still, s, zero, zero, 8f);
      TrackStep stay = tracker.locate(TARGET, still, 0, FRAME, 11);
      assertThat(stay.state().cx()).as("S=%d", s).isCloseTo(320, within(1e-9));
      assertThat(stay.state().cy()).as("S=%d", s).isCloseTo(240, within(1e-9));
      // the predicted box equals the current one: no penalty, the size stays
      assertThat(stay.state().width()).as("S=%d", s).isCloseTo(40, within(1e-9));

      Map<String, float[]> moved = background(s);
      target(moved, s, zero - 1, zero + 1, 8f);
      TrackStep step = tracker.locate(TARGET, moved, 0, FRAME, 11);
      assertThat(step.state().cx()).as("S=%d", s).isCloseTo(320 + 16 * PIXEL, within(1e-9));
      assertThat(step.state().cy()).as("S=%d", s).isCloseTo(240 - 16 * PIXEL, within(1e-9));
      assertThat(step.state().height()).as("S=%d", s).isCloseTo(40, within(1e-9));
    }
  }

  @Test
  void shapeChangePenaltyPrefersTheBoxThatKeepsSizeAndRatio() {
    NanoTrackTracker tracker = new NanoTrackTracker(
        exact(16, Map.of("windowInfluence", 0.0, "penaltyK", 0.2)));
    Map<String, float[]> maps = background(16);
    float half = IN_CROP / 2;
    // equal scores 0.5; the first point (earlier in row-major order) predicts a 2:1 box of the same height
    target(maps, 16, 4, 4, 0f, 2 * half, half, 2 * half, half);
    target(maps, 16, 12, 12, 0f);
    NanoTrackTracker.Choice c = tracker.choose(maps.get("cls"), maps.get("loc"), 0, 1.0, TARGET_SIZE);
    assertThat(c.index()).isEqualTo(12 * 16 + 12);
    assertThat(c.penalty()).isEqualTo(1.0);

    // the penalty the wide box gets: ratio change 2, size change sz(127, 63.5) / sz(63.5, 63.5)
    double w = 2 * IN_CROP;
    double h = IN_CROP;
    double pad = (w + h) / 2;
    double sc = Math.sqrt((w + pad) * (h + pad)) / (2 * IN_CROP);
    double expected = Math.exp(-(2 * sc - 1) * 0.2);
    // a score high enough to pay the penalty (0.95 x 0.68 > 0.5) wins the choice back
    target(maps, 16, 4, 4, 3f);
    NanoTrackTracker.Choice wide = tracker.choose(maps.get("cls"), maps.get("loc"), 0, 1.0, TARGET_SIZE);
    assertThat(wide.index()).isEqualTo(4 * 16 + 4);
    assertThat(wide.penalty()).isCloseTo(expected, within(1e-12));
    assertThat(wide.width()).isEqualTo(w);
    assertThat(wide.height()).isEqualTo(h);
  }

  @Test
  void hannWindowPrefersTheNearerOfTwoEqualPoints() {
    NanoTrackTracker tracker = new NanoTrackTracker(exact(15, Map.of()));
    Map<String, float[]> maps = background(15);
    target(maps, 15, 7, 2, 4f); // 5 points left of the centre
    target(maps, 15, 7, 11, 4f); // 4 points right
    TrackStep step = tracker.locate(TARGET, maps, 0, FRAME, 11);
    assertThat(step.state().cx()).isCloseTo(320 + 4 * 16 * PIXEL, within(1e-9));
    // without the window the first point in row-major order wins
    NanoTrackTracker noWindow = new NanoTrackTracker(exact(15, Map.of("windowInfluence", 0.0)));
    assertThat(noWindow.locate(TARGET, maps, 0, FRAME, 11).state().cx()).isCloseTo(320 - 5 * 16 * PIXEL, within(1e-9));
    // the window value at a point is np.hanning's outer product: a stronger point two cells out
    // loses against a weaker centred one until its score pays exactly the window difference
    double wi = 0.455;
    double[] hann = CosineWindow.hann(15);
    Map<String, float[]> two = background(15);
    target(two, 15, 7, 7, 0f); // score 0.5 at the centre, window 1
    // the far point needs (1 - wi) * score + wi * window > (1 - wi) * 0.5 + wi
    double need = 0.5 + wi * (1 - hann[7] * hann[5]) / (1 - wi);
    float logit = (float) Math.log(need / (1 - need));
    target(two, 15, 7, 5, logit - 1e-3f);
    assertThat(tracker.locate(TARGET, two, 0, FRAME, 11).state().cx()).isCloseTo(320, within(1e-9));
    target(two, 15, 7, 5, logit + 1e-3f);
    assertThat(tracker.locate(TARGET, two, 0, FRAME, 11).state().cx()).isCloseTo(320 - 2 * 16 * PIXEL, within(1e-9));
  }

  @Test
  void sizeFollowsThePredictionAtPenaltyTimesScoreTimesLr() {
    NanoTrackTracker tracker = new NanoTrackTracker(exact(16, Map.of("lr", 0.5, "penaltyK", 0.0)));
    Map<String, float[]> maps = background(16);
    // centre point predicts a box twice as wide and 1.5 times as high, score 0.8
    target(maps, 16, 8, 8, (float) Math.log(4), IN_CROP, 0.75f * IN_CROP, IN_CROP, 0.75f * IN_CROP);
    TrackStep step = tracker.locate(TARGET, maps, 0, FRAME, 11);
    double lr = 1.0 * 0.8 * 0.5; // penaltyK 0: penalty 1
    assertThat(step.state().width()).isCloseTo(40 * (1 - lr) + 80 * lr, within(1e-5));
    assertThat(step.state().height()).isCloseTo(40 * (1 - lr) + 60 * lr, within(1e-5));
    assertThat(step.state().cx()).isCloseTo(320, within(1e-9));
    assertThat(step.score()).isCloseTo(0.8f, within(1e-6f));
  }

  @Test
  void boxStaysInTheFrameAndAboveTheMinimumSide() {
    NanoTrackTracker tracker = new NanoTrackTracker(exact(16, Map.of("windowInfluence", 0.0, "lr", 1.0,
        "penaltyK", 0.0)));
    TargetState nearCorner = new TargetState("t", null, 5, 470, 40, 40, 1f, new float[128], 10, 5, 0);
    Map<String, float[]> maps = background(16);
    // far up-left, predicting a 2-pixel box
    target(maps, 16, 15, 0, 12f, 1, 1, 1, 1);
    TrackStep step = tracker.locate(nearCorner, maps, 0, FRAME, 11);
    assertThat(step.state().cx()).isZero();
    assertThat(step.state().cy()).isEqualTo(480);
    assertThat(step.state().width()).isEqualTo(10);
    assertThat(step.state().height()).isEqualTo(10);
  }

  @Test
  void weakScoreHoldsTheBoxAndCountsTheStreak() {
    NanoTrackTracker tracker = new NanoTrackTracker(exact(16, Map.of("lostScoreThreshold", 0.3)));
    Map<String, float[]> maps = background(16);
    target(maps, 16, 8, 10, -1f); // score 0.27
    TrackStep step = tracker.locate(TARGET, maps, 0, FRAME, 11);
    assertThat(step.status()).isEqualTo(TrackStatus.LOST);
    assertThat(step.state().cx()).isEqualTo(320);
    assertThat(step.state().lowScoreStreak()).isEqualTo(1);
    target(maps, 16, 8, 10, 0f);
    assertThat(tracker.locate(step.state(), maps, 0, FRAME, 12).status()).isEqualTo(TrackStatus.TRACKING);
  }

  @Test
  void searchRegionIsTheExemplarRegionScaledToTheInstanceSize() {
    NanoTrackTracker tracker = new NanoTrackTracker(exact(16, Map.of()));
    assertThat(tracker.searchCropsPerTarget()).isEqualTo(1);
    NanoTrackTracker.Search search = tracker.search(TARGET);
    assertThat(search.region().side()).isCloseTo(80.0 * 255 / 127, within(1e-9));
    assertThat(search.region().cx()).isEqualTo(320);
    assertThat(search.frameScale()).isCloseTo(PIXEL, within(1e-12));
    // the crops are the shared bilinear crops with the frame's mean colour as padding
    byte[] rgb = new byte[64 * 48 * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) (i * 7);
    }
    RgbImage frame = new RgbImage(64, 48, rgb);
    float[] crop = new float[255 * 255 * 3];
    TargetState small = new TargetState("t", null, 30, 20, 12, 8, 1f, new float[128], 0, 0, 0);
    tracker.searchRegions(small, frame, crop, 0);
    double side = Math.sqrt(22.0 * 18) * 255 / 127;
    assertThat(crop).isEqualTo(io.argus.models.image.Crops.cropAndResize(frame, 30, 20, side, 255,
        frame.meanColour()));
    float[] exemplar = new float[127 * 127 * 3];
    tracker.exemplar(frame, Box.fromCentre(30, 20, 12, 8), exemplar, 0);
    assertThat(exemplar).isEqualTo(io.argus.models.image.Crops.cropAndResize(frame, 30, 20,
        Math.sqrt(22.0 * 18), 127, frame.meanColour()));
  }

  @Test
  void metadataMustDeclareBothMapsAtTheScoreSize() {
    ModelSpec noLoc = new ModelSpec("nanotrack", "n", 127, 255, 16, 16, List.of(8, 8, 48),
        Map.of("cls", List.of(16, 16, 2)), Map.of(), Map.of());
    assertThatThrownBy(() -> new NanoTrackTracker(noLoc)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'loc' of shape [16, 16, 4]");
    ModelSpec wrongSize = new ModelSpec("nanotrack", "n", 127, 255, 16, 16, List.of(8, 8, 96),
        Map.of("cls", List.of(15, 15, 2), "loc", List.of(15, 15, 4)), Map.of(), Map.of());
    assertThatThrownBy(() -> new NanoTrackTracker(wrongSize)).hasMessageContaining("'cls' of shape [16, 16, 2]");
    assertThatThrownBy(() -> new NanoTrackTracker(exact(16, Map.of("lr", 1.5))))
        .hasMessageContaining("lr must lie in 0..1");
  }

  @Test
  void openCvArithmeticSnapsCropsToWholePixels() {
    NanoTrackTracker tracker = new NanoTrackTracker(Specs.nanoTrack(16, Map.of()));
    // w + h = 67.9 counts as 67: s_z = sqrt((17.6 + 33.5) (50.3 + 33.5)) = 65.44, side int(2 s_z) = 130,
    // pixels from int(100.7) - 65 = 35 and int(50.2) - 65 = -15
    TargetState t = new TargetState("t", null, 100.7, 50.2, 17.6, 50.3, 1f, new float[128], 0, 0, 0);
    NanoTrackTracker.Search search = tracker.search(t);
    double sz = Math.sqrt((17.6 + 33.5) * (50.3 + 33.5));
    assertThat(search.region()).isEqualTo(new SearchRegion(35 + 65, -15 + 65, 130));
    assertThat(search.frameScale()).isCloseTo(sz / 127, within(1e-12));
    // odd side: int(2 * 64.94) = 129 pixels from int(100.7) - 65, so the centre is at 99.5
    TargetState odd = new TargetState("t", null, 100.7, 50.2, 17, 50, 1f, new float[128], 0, 0, 0);
    assertThat(tracker.search(odd).region()).isEqualTo(new SearchRegion(35 + 64.5, -15 + 64.5, 129));

    // the exemplar side is int(sqrt(50.5 * 83.5)) = 64 (no truncated sum): pixels from 100 - 32 and 50 - 32
    byte[] rgb = new byte[160 * 120 * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (byte) (i * 13);
    }
    RgbImage frame = new RgbImage(160, 120, rgb);
    float[] exemplar = new float[127 * 127 * 3];
    tracker.exemplar(frame, Box.fromCentre(100.7, 50.2, 17, 50), exemplar, 0);
    assertThat(exemplar).isEqualTo(io.argus.models.image.Crops.cropAndResize(frame, 100, 50, 64, 127,
        frame.meanColour()));
  }

  @Test
  void openCvArithmeticMeasuresSizeChangeAgainstThePositionAndPublishesWholePixels() {
    NanoTrackTracker tracker = new NanoTrackTracker(Specs.nanoTrack(16, Map.of("windowInfluence", 0.0)));
    Map<String, float[]> maps = background(16);
    // one point right of the centre predicts a box twice the target's size (127 crop pixels)
    target(maps, 16, 8, 9, 8f, IN_CROP, IN_CROP, IN_CROP, IN_CROP);
    TrackStep step = tracker.locate(TARGET, maps, 0, FRAME, 11);
    // OpenCV 4.9 compares sz(127, 127) = 254 with sz(cx, cy) = sqrt((320 + 280)(240 + 280)), not with 127
    double sc = Math.sqrt(600.0 * 520) / 254;
    double lr = Math.exp(-(sc - 1) * 0.055) * NanoTrackTracker.targetProbability(0f, 8f) * 0.37;
    // w + h = 80: s_z = 80 as in exact arithmetic, so a crop pixel still spans 80 / 127 frame pixels
    double cx = 320 + 16 * PIXEL;
    double w = 40 * (1 - lr) + 80 * lr;
    assertThat(step.state().cx()).isCloseTo(cx, within(1e-9));
    assertThat(step.state().width()).isCloseTo(w, within(1e-6));
    assertThat(step.state().height()).isCloseTo(w, within(1e-6));
    assertThat(step.box()).isEqualTo(new Box((int) (cx - w / 2), (int) (240 - w / 2), (int) w, (int) w));
    // exact arithmetic: the penalty of a doubled size, exp(-(2 - 1) k)
    NanoTrackTracker exact = new NanoTrackTracker(exact(16, Map.of("windowInfluence", 0.0)));
    double lrExact = Math.exp(-0.055) * NanoTrackTracker.targetProbability(0f, 8f) * 0.37;
    TrackStep e = exact.locate(TARGET, maps, 0, FRAME, 11);
    assertThat(e.state().width()).isCloseTo(40 * (1 - lrExact) + 80 * lrExact, within(1e-6));
    assertThat(e.box()).isEqualTo(e.state().box());
  }

  @Test
  void openCvArithmeticUsesTheSquareRootHannWindow() {
    NanoTrackTracker tracker = new NanoTrackTracker(Specs.nanoTrack(15, Map.of("penaltyK", 0.0)));
    double wi = 0.455;
    double[] hann = CosineWindow.hann(15);
    Map<String, float[]> two = background(15);
    target(two, 15, 7, 7, 0f); // score 0.5 at the centre, window 1
    double need = 0.5 + wi * (1 - Math.sqrt(hann[7] * hann[5])) / (1 - wi);
    float logit = (float) Math.log(need / (1 - need));
    target(two, 15, 7, 5, logit - 1e-3f);
    assertThat(tracker.locate(TARGET, two, 0, FRAME, 11).state().cx()).isCloseTo(320, within(1e-9));
    target(two, 15, 7, 5, logit + 1e-3f);
    assertThat(tracker.locate(TARGET, two, 0, FRAME, 11).state().cx()).isCloseTo(320 - 2 * 16 * PIXEL, within(1e-9));
    assertThatThrownBy(() -> new NanoTrackTracker(Specs.nanoTrack(15, Map.of("opencvArithmetic", 0.5))))
        .hasMessageContaining("opencvArithmetic is 1");
  }

  private static float[] concat(float[] a, float[] b) {
    float[] out = new float[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
