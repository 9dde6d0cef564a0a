package io.argus.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.argus.models.DefaultModel;
import org.junit.jupiter.api.Test;

class CentreErrorTest {

  @Test
  void parabolicPeakRefinesTowardTheHigherNeighbour() {
    float[] map = new float[5 * 5];
    map[2 * 5 + 2] = 1f;
    map[2 * 5 + 3] = 0.5f;
    map[1 * 5 + 2] = 0.2f;
    map[3 * 5 + 2] = 0.2f;
    double[] p = CentreError.peak(map, 5);
    assertThat(p[0]).isCloseTo(2 + 0.5 * (0 - 0.5) / (0 - 2 + 0.5), within(1e-9)); // 2.1667
    assertThat(p[1]).isCloseTo(2.0, within(1e-9));
  }

  @Test
  void theDefaultModelFindsAnObjectInItsSearchRegion() {
    // a coloured square on grey noise, shifted up to 32 px: any working SiamFC finds it
    CentreError.Stats s = CentreError.measure(DefaultModel.materialize(), new SquarePairSource(32), 5, 12);
    System.out.println("default model on shifted squares: " + s);
    assertThat(s.median()).isLessThan(8);
    assertThat(s.within16()).isGreaterThanOrEqualTo(0.75);
  }
}
