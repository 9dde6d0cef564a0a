package io.argus.operators.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScalePyramidTest {

  @Test
  void factorsAreStepPowersAroundOne() {
    assertThat(new ScalePyramid(3, 1.0375, 0.9745).factors())
        .containsExactly(new double[] {1 / 1.0375, 1, 1.0375}, within(1e-12));
    assertThat(new ScalePyramid(5, 1.1, 0.9).factors())
        .containsExactly(new double[] {1 / 1.21, 1 / 1.1, 1, 1.1, 1.21}, within(1e-12));
    // numpy linspace(-2, 2, 4): -2, -2/3, 2/3, 2
    assertThat(new ScalePyramid(4, 2, 0.9).factors())
        .containsExactly(new double[] {0.25, Math.pow(2, -2.0 / 3), Math.pow(2, 2.0 / 3), 4}, within(1e-12));
    assertThat(new ScalePyramid(1, 1.0375, 0.9745).factors()).containsExactly(1.0);
  }

  @Test
  void penaltyKeepsTheMiddleScaleUnlessAnotherIsClearlyBetter() {
    ScalePyramid p = new ScalePyramid(3, 1.0375, 0.9745);
    // 1.02 * 0.9745 = 0.99399 < 1.0: the unchanged scale wins
    assertThat(p.best(new float[] {1.02f, 1.0f, 0.9f})).isEqualTo(1);
    // 1.03 * 0.9745 = 1.003735 > 1.0: the smaller scale wins
    assertThat(p.best(new float[] {1.03f, 1.0f, 0.9f})).isEqualTo(0);
    assertThat(p.best(new float[] {0.5f, 1.0f, 1.03f})).isEqualTo(2);
    // ties go to the first, as np.argmax
    assertThat(new ScalePyramid(3, 1.0375, 1.0).best(new float[] {1f, 1f, 1f})).isEqualTo(0);
    // numpy penalises [:n//2] and [n//2+1:]: for 4 scales index 2 is the free one
    assertThat(new ScalePyramid(4, 1.0375, 0.5).penaltyFor(2)).isEqualTo(1.0);
    assertThat(new ScalePyramid(4, 1.0375, 0.5).penaltyFor(1)).isEqualTo(0.5);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> new ScalePyramid(0, 1.0375, 0.97)).hasMessageContaining("scaleNum");
    assertThatThrownBy(() -> new ScalePyramid(3, 1.0375, 0.97).best(new float[2])).hasMessageContaining("3 scale peaks");
  }
}
