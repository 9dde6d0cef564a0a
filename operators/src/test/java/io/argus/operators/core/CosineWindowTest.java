package io.argus.operators.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CosineWindowTest {

  @Test
  void hannMatchesNumpyHanningForThreeAndFourPoints() {
    // np.hanning(3) = [0, 1, 0]; np.hanning(4) = [0, 0.75, 0.75, 0]
    assertThat(CosineWindow.hann(3)).containsExactly(new double[] {0, 1, 0}, within(1e-12));
    assertThat(CosineWindow.hann(4)).containsExactly(new double[] {0, 0.75, 0.75, 0}, within(1e-12));
    assertThat(CosineWindow.hann(1)).containsExactly(1.0);
  }

  @Test
  void outerProductIsRowMajorWithPeakOne() {
    float[] w3 = CosineWindow.outer(3);
    assertThat(w3).containsExactly(new float[] {0, 0, 0, 0, 1, 0, 0, 0, 0}, within(1e-7f));
    float[] w4 = CosineWindow.outer(4);
    // centre 2x2 block: 0.75 * 0.75; everything touching an edge is 0
    assertThat(w4[5]).isCloseTo(0.5625f, within(1e-7f));
    assertThat(w4[6]).isCloseTo(0.5625f, within(1e-7f));
    assertThat(w4[9]).isCloseTo(0.5625f, within(1e-7f));
    assertThat(w4[1]).isCloseTo(0f, within(1e-7f));
  }

  @Test
  void normalisedWindowSumsToOne() {
    float[] w4 = CosineWindow.normalisedOuter(4);
    // 0.5625 / (1.5 * 1.5) = 0.25 at the four centre cells
    assertThat(w4[5]).isCloseTo(0.25f, within(1e-7f));
    assertThat(w4[10]).isCloseTo(0.25f, within(1e-7f));
    double sum = 0;
    for (float v : CosineWindow.normalisedOuter(272)) {
      sum += v;
    }
    assertThat(sum).isCloseTo(1.0, within(1e-5));
  }
}
