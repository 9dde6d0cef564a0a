package io.argus.operators.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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
    assertThat(s.toString()).contains("t1", "embedding 0 floats");
  }

  @Test
  void templateUpdateBlendsIntoANewArray() {
    float[] old = {10, 20, 30};
    TargetState s = state(old);
    float[] fresh = {99, 0, 40, 60, 99};

    TargetState u = s.withTemplateUpdate(fresh, 1, 0.25);

    // (1 - 0.25) old + 0.25 fresh[1..3]
    assertThat(u.embedding()[0]).isCloseTo(7.5f, within(1e-6f));
    assertThat(u.embedding()[1]).isCloseTo(25f, within(1e-6f));
    assertThat(u.embedding()[2]).isCloseTo(37.5f, within(1e-6f));
    assertThat(old).containsExactly(10, 20, 30);
    assertThat(u.box()).isEqualTo(s.box());
    assertThat(u.framesTracked()).isEqualTo(s.framesTracked());
    assertThatThrownBy(() -> s.withTemplateUpdate(fresh, 3, 0.25)).hasMessageContaining("does not fit");
    assertThatThrownBy(() -> s.withTemplateUpdate(fresh, 0, 1.5)).hasMessageContaining("[0, 1]");
  }
}
