package io.argus.operators.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TargetStateTest {

  private static TargetState state(float[] embedding) {
    return new TargetState("t1", "car", 10, 20, 30, 40, 0.5f, embedding, 7, 3, 0);
  }

  @Test
  void equalityComparesEmbeddingContent() {
    TargetState a = state(new float[] {1, 2, 3});
    TargetState b = state(new float[] {1, 2, 3});
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(state(new float[] {1, 2, 4}));
    assertThat(a).isNotEqualTo(new TargetState("t1", "car", 10, 20, 30, 41, 0.5f, new float[] {1, 2, 3}, 7, 3, 0));
  }

  @Test
  void boxIsCentreBased() {
    TargetState s = state(new float[0]);
    assertThat(s.box().x()).isEqualTo(-5);
    assertThat(s.box().y()).isEqualTo(0);
    assertThat(s.box().width()).isEqualTo(30);
    assertThat(s.toString()).contains("t1", "3 floats".replace("3", "0"));
  }
}
