package io.argus.operators.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.ModelSpec;
import io.argus.models.image.RgbImage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SiamRpnTrackerTest {

  private static final int S = 21;
  private static final int K = 5;
  private static final int P = S * S;
  private static final RgbImage FRAME = new RgbImage(640, 480, new byte[640 * 480 * 3]);

  // A 40x40 target: exemplar side sqrt(80 * 80) = 80, search side 80 * 287 / 127, so one crop
  // pixel is 80 / 127 frame pixels and the target measures 63.5 crop pixels.
  private static final TargetState TARGET =
      new TargetState("t", null, 320, 240, 40, 40, 1f, new float[6 * 6 * 2], 10, 5, 0);
  private static final double PIXEL = 80.0 / 127;
  private static final double IN_CROP = 63.5;

  static ModelSpec spec(Map<String, Double> hyper) {
    return new ModelSpec("siamrpn", "test-siamrpn", 127, 287, S, 8, List.of(6, 6, 2),
        Map.of("cls", List.of(S, S, 2 * K), "loc", List.of(S, S, 4 * K)), hyper, Map.of());
  }

  private static final Map<String, Double> PYSOT = Map.of("contextAmount", 0.5, "penaltyK", 0.16,
      "windowInfluence", 0.40, "lr", 0.30, "minTargetSide", 10.0, "anchorScale", 8.0);

  /** Maps of `items` crops where every anchor is almost surely background and predicts its own shape. */
  private static Map<String, float[]> background(int items) {
    float[] cls = new float[items * P * 2 * K];
    float[] loc = new float[items * P * 4 * K];
    for (int i = 0; i < items * P; i++) {
      for (int a = 0; a < K; a++) {
        cls[i * 2 * K + K + a] = -12f;
      }
    }
    Map<String, float[]> m = new HashMap<>();
    m.put("cls", cls);
    m.put("loc", loc);
    return m;
  }

  /** Sets anchor a at (row, col) of crop `item`: foreground logit and deltas, pysot's channel order. */
  private static void set(Map<String, float[]> m, int item, int a, int row, int col, float fg, double... d) {
    int p = item * P + row * S + col;
    m.get("cls")[p * 2 * K + K + a] = fg;
    for (int j = 0; j < 4; j++) {
      m.get("loc")[p * 4 * K + j * K + a] = (float) d[j];
    }
  }

  private static double hann(int k) {
    return 0.5 - 0.5 * Math.cos(2 * Math.PI * k / (S - 1));
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /** pysot's penalty written out: exp(-(r_c * s_c - 1) * k). */
  private static double pysotPenalty(double w, double h, double tw, double th, double k) {
    double pad = (w + h) / 2;
    double tpad = (tw + th) / 2;
    double sc = Math.sqrt((w + pad) * (h + pad)) / Math.sqrt((tw + tpad) * (th + tpad));
    double rc = (tw / th) / (w / h);
    return Math.exp(-(Math.max(rc, 1 / rc) * Math.max(sc, 1 / sc) - 1) * k);
  }

  @Test
  void aConfidentAnchorMovesTheTargetByItsDecodedOffset() {
    SiamRpnTracker t = new SiamRpnTracker(spec(PYSOT));
    Map<String, float[]> m = background(1);
    // the square anchor (64 x 64) two rows down, three columns right: at (24, 16) crop pixels
    double dw = Math.log(IN_CROP / 64);
    set(m, 0, 2, 12, 13, 12f, 0.1, 0, dw, dw);
    TrackStep s = t.locate(TARGET, m, 0, FRAME, 11);
    double score = sigmoid(12);
    double lr = score * 0.30; // no change of shape: penalty 1
    assertThat(s.score()).isCloseTo((float) score, within(1e-6f));
    assertThat(s.state().cx()).isCloseTo(320 + (0.1 * 64 + 24) * PIXEL, within(1e-4));
    assertThat(s.state().cy()).isCloseTo(240 + 16 * PIXEL, within(1e-4));
    assertThat(s.state().width()).isCloseTo(40 * (1 - lr) + IN_CROP * PIXEL * lr, within(1e-4));
    assertThat(s.status()).isEqualTo(TrackStatus.TRACKING);
    assertThat(s.state().framesTracked()).isEqualTo(6);
    SiamRpnTracker.Choice c = t.choose(m.get("cls"), m.get("loc"), 0, IN_CROP, IN_CROP);
    assertThat(c.anchor()).isEqualTo(2);
    assertThat(c.position()).isEqualTo(12 * S + 13);
    assertThat(c.index()).isEqualTo(2 * P + 12 * S + 13);
    assertThat(c.penalty()).isCloseTo(1, within(1e-6));
  }

  @Test
  void scaleAndAspectChangesArePenalisedAsPysot() {
    SiamRpnTracker t = new SiamRpnTracker(spec(PYSOT));
    for (double[] box : new double[][] {{127, 127}, {127, 63.5}, {30, 90}}) {
      Map<String, float[]> m = background(1);
      int a = 2; // square anchor 64x64 at the centre
      set(m, 0, a, 10, 10, 12f, 0, 0, Math.log(box[0] / 64), Math.log(box[1] / 64));
      SiamRpnTracker.Choice c = t.choose(m.get("cls"), m.get("loc"), 0, IN_CROP, IN_CROP);
      double pen = pysotPenalty(box[0], box[1], IN_CROP, IN_CROP, 0.16);
      assertThat(c.index()).isEqualTo(a * P + 10 * S + 10);
      assertThat(c.width()).isCloseTo(box[0], within(1e-3));
      assertThat(c.height()).isCloseTo(box[1], within(1e-3));
      assertThat(c.penalty()).as("box %s", java.util.Arrays.toString(box)).isCloseTo(pen, within(1e-6));
      assertThat(c.lr()).isCloseTo(pen * sigmoid(12) * 0.30, within(1e-6));
      TrackStep s = t.locate(TARGET, m, 0, FRAME, 11);
      assertThat(s.state().width()).isCloseTo(40 * (1 - c.lr()) + box[0] * PIXEL * c.lr(), within(1e-4));
      assertThat(s.state().height()).isCloseTo(40 * (1 - c.lr()) + box[1] * PIXEL * c.lr(), within(1e-4));
    }
    assertThat(pysotPenalty(127, 127, IN_CROP, IN_CROP, 0.16)).isCloseTo(Math.exp(-0.16), within(1e-12));
  }

  @Test
  void theWindowTiledOverAnchorsDecidesBetweenEqualScores() {
    SiamRpnTracker t = new SiamRpnTracker(spec(PYSOT));
    // every anchor equally confident: the window peak (centre position) wins, first anchor there
    Map<String, float[]> m = background(1);
    SiamRpnTracker.Choice c = t.choose(m.get("cls"), m.get("loc"), 0, IN_CROP, IN_CROP);
    assertThat(c.position()).isEqualTo(10 * S + 10);
    // a better score off-centre wins only when it beats the window's lead:
    // value = pen * score * 0.6 + hann(r) hann(c) * 0.4; same-shape anchor, so pen = 1
    Map<String, float[]> m2 = background(1);
    set(m2, 0, 2, 10, 19, 0f, 0, 0, Math.log(IN_CROP / 64), Math.log(IN_CROP / 64)); // score 0.5, edge of the map
    set(m2, 0, 2, 10, 11, -2f, 0, 0, Math.log(IN_CROP / 64), Math.log(IN_CROP / 64)); // score 0.119, near the centre
    double edge = 0.5 * 0.6 + hann(10) * hann(19) * 0.4;
    double near = sigmoid(-2) * 0.6 + hann(10) * hann(11) * 0.4;
    assertThat(near).isGreaterThan(edge);
    assertThat(t.choose(m2.get("cls"), m2.get("loc"), 0, IN_CROP, IN_CROP).position()).isEqualTo(10 * S + 11);
    // without window influence the raw score decides
    Map<String, Double> noWindow = new HashMap<>(PYSOT);
    noWindow.put("windowInfluence", 0.0);
    assertThat(new SiamRpnTracker(spec(noWindow)).choose(m2.get("cls"), m2.get("loc"), 0, IN_CROP, IN_CROP).position())
        .isEqualTo(10 * S + 19);
  }

  @Test
  void readsItsOwnItemOfABatch() {
    SiamRpnTracker t = new SiamRpnTracker(spec(PYSOT));
    Map<String, float[]> m = background(3);
    set(m, 1, 0, 4, 5, 12f, 0, 0, 0, 0);
    set(m, 2, 4, 15, 16, 12f, 0, 0, 0, 0);
    assertThat(t.choose(m.get("cls"), m.get("loc"), 1, IN_CROP, IN_CROP).index()).isEqualTo(4 * S + 5);
    assertThat(t.choose(m.get("cls"), m.get("loc"), 2, IN_CROP, IN_CROP).index()).isEqualTo(4 * P + 15 * S + 16);
    assertThat(t.choose(m.get("cls"), m.get("loc"), 0, IN_CROP, IN_CROP).position()).isEqualTo(10 * S + 10);
    assertThatThrownBy(() -> t.locate(TARGET, m, 3, FRAME, 11)).hasMessageContaining("needs item 3");
  }

  @Test
  void boxesAreClippedToTheFrameAndTheMinimumSide() {
    SiamRpnTracker t = new SiamRpnTracker(spec(PYSOT));
    TargetState corner = new TargetState("c", null, 630, 5, 12, 12, 1f, new float[72], 1, 1, 0);
    Map<String, float[]> m = background(1);
    // far right and up, and tiny: the centre stays in the frame, the size at least 10
    set(m, 0, 2, 0, 20, 30f, 0, 0, -5, -5);
    Map<String, Double> h = new HashMap<>(PYSOT);
    h.put("lr", 1.0);
    h.put("penaltyK", 0.0);
    TrackStep s = new SiamRpnTracker(spec(h)).locate(corner, m, 0, FRAME, 2);
    assertThat(s.state().cx()).isEqualTo(640);
    assertThat(s.state().cy()).isEqualTo(0);
    assertThat(s.state().width()).isEqualTo(10);
    assertThat(s.state().height()).isEqualTo(10);
    assertThat(t.spec().family()).isEqualTo("siamrpn");
  }

  @Test
  void aScoreUnderTheLostThresholdHoldsTheBox() {
    Map<String, Double> h = new HashMap<>(PYSOT);
    h.put("lostScoreThreshold", 0.2);
    TrackStep s = new SiamRpnTracker(spec(h)).locate(TARGET, background(1), 0, FRAME, 11);
    assertThat(s.status()).isEqualTo(TrackStatus.LOST);
    assertThat(s.state().cx()).isEqualTo(320);
    assertThat(s.state().lowScoreStreak()).isEqualTo(1);
  }

  @Test
  void outputsThatDoNotFitTheAnchorsAreRefused() {
    ModelSpec wrong = new ModelSpec("siamrpn", "wrong", 127, 287, S, 8, List.of(6, 6, 2),
        Map.of("cls", List.of(S, S, 2 * 3), "loc", List.of(S, S, 4 * 3)), PYSOT, Map.of());
    assertThatThrownBy(() -> new SiamRpnTracker(wrong)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'cls' of shape [21, 21, 10]");
    assertThat(Trackers.forSpec(spec(PYSOT))).isInstanceOf(SiamRpnTracker.class);
    assertThat(Trackers.families()).contains("siamrpn");
  }
}
