package io.argus.operators.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ShapeChangePenaltyTest {

  @Test
  void unchangedBoxIsNotPenalised() {
    assertThat(new ShapeChangePenalty(0.04).penalty(30, 20, 30, 20)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void doublingTheWidthOfASquare() {
    // target 10x10: sz = sqrt(20 * 20) = 20; candidate 20x10: pad 15, sz = sqrt(35 * 25) = sqrt(875)
    // s_c = sqrt(875)/20, r_c = max(0.5, 2) = 2; penalty = exp(-(2 s_c - 1) * 0.04) = 0.92467
    double expected = Math.exp(-(2 * Math.sqrt(875) / 20 - 1) * 0.04);
    assertThat(new ShapeChangePenalty(0.04).penalty(20, 10, 10, 10)).isCloseTo(expected, within(1e-12));
    assertThat(expected).isCloseTo(0.92467, within(1e-5));
    // shrinking by the same factor is penalised the same (change(x) = max(x, 1/x))
    assertThat(new ShapeChangePenalty(0.04).penalty(10, 10, 20, 10))
        .isCloseTo(new ShapeChangePenalty(0.04).penalty(20, 10, 10, 10), within(1e-12));
  }
}
