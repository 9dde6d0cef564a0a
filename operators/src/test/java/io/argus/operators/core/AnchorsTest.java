package io.argus.operators.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class AnchorsTest {

  private static final Anchors ALEX = Anchors.generate(8, Anchors.PYSOT_RATIOS, new double[] {8}, 21);

  @Test
  void baseShapesArePysotsTruncatedOnes() {
    // ratio 0.33: ws = int(sqrt(64 / 0.33)) = 13, hs = int(13 * 0.33) = 4; times scale 8, and so on
    assertThat(Anchors.baseShapes(8, Anchors.PYSOT_RATIOS, new double[] {8}))
        .isDeepEqualTo(new double[][] {{104, 32}, {88, 40}, {64, 64}, {40, 80}, {32, 96}});
    assertThat(Anchors.baseShapes(8, new double[] {1}, new double[] {4, 8}))
        .isDeepEqualTo(new double[][] {{32, 32}, {64, 64}});
  }

  @Test
  void anchorsAreCentredOnTheScoreMapAnchorMajor() {
    assertThat(ALEX.count()).isEqualTo(5);
    assertThat(ALEX.size()).isEqualTo(5 * 21 * 21);
    // ori = -(21 / 2) * 8 = -80
    assertThat(ALEX.cx(0)).isEqualTo(-80);
    assertThat(ALEX.cy(0)).isEqualTo(-80);
    assertThat(ALEX.width(0)).isEqualTo(104);
    int centreOfSquare = 2 * 441 + 10 * 21 + 10;
    assertThat(new double[] {ALEX.cx(centreOfSquare), ALEX.cy(centreOfSquare), ALEX.width(centreOfSquare),
        ALEX.height(centreOfSquare)}).containsExactly(0, 0, 64, 64);
    int i = 4 * 441 + 3 * 21 + 20;
    assertThat(new double[] {ALEX.cx(i), ALEX.cy(i), ALEX.width(i), ALEX.height(i)}).containsExactly(80, -56, 32, 96);
    assertThat(ALEX.anchorOf(i)).isEqualTo(4);
    assertThat(ALEX.positionOf(i)).isEqualTo(3 * 21 + 20);
    // an even score map centres position S / 2 as pysot: 16 -> ori = -64, position 8 at 0
    Anchors even = Anchors.generate(8, new double[] {1}, new double[] {8}, 16);
    assertThat(even.cx(8)).isEqualTo(0);
    assertThat(even.cx(0)).isEqualTo(-64);
  }

  @Test
  void decodingScalesDeltasByTheAnchor() {
    int i = 441 + 10 * 21 + 12; // anchor 88x40 at (16, 0)
    double[] b = ALEX.decode(i, 0.5, -0.25, Math.log(2), 0);
    assertThat(b[0]).isCloseTo(0.5 * 88 + 16, within(1e-9));
    assertThat(b[1]).isCloseTo(-0.25 * 40, within(1e-9));
    assertThat(b[2]).isCloseTo(176, within(1e-9));
    assertThat(b[3]).isCloseTo(40, within(1e-9));
  }
}
