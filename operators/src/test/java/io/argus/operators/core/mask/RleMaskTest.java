package io.argus.operators.core.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RleMaskTest {

  @Test
  void encodesColumnByColumnStartingWithZeros() {
    // row 0: 1 0 0, row 1: 1 1 0; columns top to bottom: (1,1) (0,1) (0,0) -> 0 zeros, 2 ones,
    // 1 zero, 1 one, 2 zeros
    boolean[] bits = {true, false, false, true, true, false};
    RleMask m = RleMask.encode(bits, 5, 7, 3, 2);
    assertThat(m.counts()).containsExactly(0, 2, 1, 1, 2);
    assertThat(m.area()).isEqualTo(3);
    assertThat(m.decode()).containsExactly(bits);
  }

  @Test
  void emptyAndFullRegions() {
    assertThat(RleMask.encode(new boolean[6], 0, 0, 2, 3).counts()).containsExactly(6);
    boolean[] full = {true, true, true, true, true, true};
    assertThat(RleMask.encode(full, 0, 0, 2, 3).counts()).containsExactly(0, 6);
    assertThat(RleMask.encode(new boolean[0], 0, 0, 0, 0).counts()).containsExactly(0);
  }

  @Test
  void roundTripsRandomBitmaps() {
    SplittableRandom rng = new SplittableRandom(9);
    for (int i = 0; i < 100; i++) {
      int w = 1 + rng.nextInt(40);
      int h = 1 + rng.nextInt(40);
      boolean[] bits = new boolean[w * h];
      double p = rng.nextDouble();
      for (int k = 0; k < bits.length; k++) {
        bits[k] = rng.nextDouble() < p;
      }
      RleMask m = RleMask.encode(bits, rng.nextInt(100), rng.nextInt(100), w, h);
      assertThat(m.decode()).containsExactly(bits);
      int set = 0;
      for (boolean b : bits) {
        set += b ? 1 : 0;
      }
      assertThat(m.area()).isEqualTo(set);
      assertThat(new RleMask(m.x(), m.y(), w, h, m.counts())).isEqualTo(m);
    }
  }

  @Test
  void refusesRunsThatDoNotCoverTheRegion() {
    assertThatThrownBy(() -> new RleMask(0, 0, 3, 2, new int[] {1, 2})).hasMessageContaining("sum to 3 pixels")
        .hasMessageContaining("has 6");
    assertThatThrownBy(() -> new RleMask(0, 0, 1, 1, new int[] {2, -1})).hasMessageContaining("negative");
    assertThatThrownBy(() -> RleMask.encode(new boolean[5], 0, 0, 3, 2)).hasMessageContaining("needs 6 mask values");
  }

  @Test
  void countsAreCopiedInAndOut() {
    int[] counts = {1, 1};
    RleMask m = new RleMask(0, 0, 1, 2, counts);
    counts[0] = 5;
    m.counts()[1] = 7;
    assertThat(m.counts()).containsExactly(1, 1);
  }
}
